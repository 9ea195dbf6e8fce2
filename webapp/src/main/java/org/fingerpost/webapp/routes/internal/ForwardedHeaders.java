package org.fingerpost.webapp.routes.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The forwarding headers a route sends its backend, the same for HTTP and websockets. A client's own
 * {@code Forwarded}, {@code X-Forwarded-*} and {@code X-Real-IP} are dropped (anyone can forge them),
 * unless the peer is a trusted proxy ({@code trusted_proxies}): then they are kept and extended.
 * Always set: {@code X-Forwarded-For} (…, peer), {@code X-Forwarded-Proto}, {@code X-Forwarded-Host}
 * and {@code Forwarded} (RFC 7239: {@code for}, {@code host}, {@code proto}; no {@code by}, which
 * would name this node). Stateless and thread-safe.
 */
public final class ForwardedHeaders {
  static final String FORWARDED = "Forwarded";
  static final String XFF = "X-Forwarded-For";
  static final String XF_PROTO = "X-Forwarded-Proto";
  static final String XF_HOST = "X-Forwarded-Host";
  static final String REAL_IP = "X-Real-IP";

  private final TrustedProxies trusted;

  public ForwardedHeaders(TrustedProxies trusted) {
    this.trusted = trusted;
  }

  /** Whether {@code name} is a forwarding header, which the caller drops from what it copies. */
  public static boolean isForwarding(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.equals("forwarded") || n.startsWith("x-forwarded-") || n.equals("x-real-ip");
  }

  /** The forwarding headers to send for {@code client}'s request, in order. */
  public List<Map.Entry<String, String>> headers(HttpServletRequest client) {
    String peer = client.getRemoteAddr();
    boolean trust = trusted.trusts(peer);
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (trust) {
      for (String name : Collections.list(client.getHeaderNames())) {
        String n = name.toLowerCase(Locale.ROOT);
        if (isForwarding(name) && !n.equals("forwarded") && !n.equals("x-forwarded-for")
            && !n.equals("x-forwarded-proto") && !n.equals("x-forwarded-host")) {
          for (String v : Collections.list(client.getHeaders(name))) {
            out.add(Map.entry(name, v));
          }
        }
      }
    }
    String host = client.getHeader("Host");
    if (host == null) {
      host = client.getServerName() + ":" + client.getServerPort();
    }
    String proto = client.getScheme();
    out.add(Map.entry(XFF, extend(trust ? joined(client, XFF) : null, peer)));
    String inboundProto = trust ? joined(client, XF_PROTO) : null;
    out.add(Map.entry(XF_PROTO, inboundProto != null ? inboundProto : proto));
    String inboundHost = trust ? joined(client, XF_HOST) : null;
    out.add(Map.entry(XF_HOST, inboundHost != null ? inboundHost : host));
    String element = "for=" + node(peer) + ";host=\"" + host.replace("\\", "\\\\").replace("\"", "\\\"")
        + "\";proto=" + proto;
    out.add(Map.entry(FORWARDED, extend(trust ? joined(client, FORWARDED) : null, element)));
    return out;
  }

  private static String extend(String inbound, String value) {
    return inbound == null || inbound.isBlank() ? value : inbound + ", " + value;
  }

  private static String joined(HttpServletRequest client, String name) {
    List<String> values = Collections.list(client.getHeaders(name));
    return values.isEmpty() ? null : String.join(", ", values);
  }

  /** RFC 7239 6: an IPv6 node is bracketed and quoted. */
  private static String node(String address) {
    if (address.indexOf(':') < 0) {
      return address;
    }
    return address.startsWith("[") ? "\"" + address + "\"" : "\"[" + address + "]\"";
  }
}
