package org.fingerpost.webapp.routes.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

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

  /** What forwarding reads of a client's request, from the servlet API or Jetty's core API. */
  interface Inbound {
    /** The peer's address. */
    String peer();

    /** {@code http} or {@code https}. */
    String scheme();

    /** The {@code Host} header, or the server's name and port when there is none. */
    String host();

    /** The names of the request's headers, as sent. */
    Collection<String> names();

    /** The values of header {@code name}, in order; empty when absent. */
    List<String> values(String name);
  }

  private final TrustedProxies trusted;

  public ForwardedHeaders(TrustedProxies trusted) {
    this.trusted = trusted;
  }

  /** Whether {@code name} is a forwarding header, which the caller drops from what it copies. */
  public static boolean isForwarding(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.equals("forwarded") || n.startsWith("x-forwarded-") || n.equals("x-real-ip");
  }

  /** Adds the forwarding headers for {@code client}'s request to {@code proxyRequest}. */
  void addTo(HttpServletRequest client, org.eclipse.jetty.client.Request proxyRequest) {
    add(headers(client), proxyRequest);
  }

  /** Adds the forwarding headers for a request on Jetty's core API to {@code proxyRequest}. */
  void addTo(Request client, org.eclipse.jetty.client.Request proxyRequest) {
    add(headers(client), proxyRequest);
  }

  private static void add(List<Map.Entry<String, String>> forwarding, org.eclipse.jetty.client.Request proxyRequest) {
    proxyRequest.headers(h -> {
      for (Map.Entry<String, String> e : forwarding) {
        h.add(e.getKey(), e.getValue());
      }
    });
  }

  /** The forwarding headers to send for {@code client}'s request, in order. */
  public List<Map.Entry<String, String>> headers(HttpServletRequest client) {
    return headers(new Inbound() {
      @Override
      public String peer() {
        return client.getRemoteAddr();
      }

      @Override
      public String scheme() {
        return client.getScheme();
      }

      @Override
      public String host() {
        String host = client.getHeader("Host");
        return host != null ? host : client.getServerName() + ":" + client.getServerPort();
      }

      @Override
      public Collection<String> names() {
        return Collections.list(client.getHeaderNames());
      }

      @Override
      public List<String> values(String name) {
        return Collections.list(client.getHeaders(name));
      }
    });
  }

  /** The forwarding headers to send for a request on Jetty's core API. */
  List<Map.Entry<String, String>> headers(Request client) {
    HttpFields fields = client.getHeaders();
    return headers(new Inbound() {
      @Override
      public String peer() {
        return Request.getRemoteAddr(client);
      }

      @Override
      public String scheme() {
        return client.isSecure() ? "https" : "http";
      }

      @Override
      public String host() {
        String host = fields.get(HttpHeader.HOST);
        return host != null ? host : Request.getServerName(client) + ":" + Request.getServerPort(client);
      }

      @Override
      public Collection<String> names() {
        Map<String, String> names = new LinkedHashMap<>(); // each name once, as the servlet API lists them
        for (HttpField f : fields) {
          names.putIfAbsent(f.getLowerCaseName(), f.getName());
        }
        return names.values();
      }

      @Override
      public List<String> values(String name) {
        return fields.getValuesList(name);
      }
    });
  }

  private List<Map.Entry<String, String>> headers(Inbound client) {
    String peer = client.peer();
    boolean trust = trusted.trusts(peer);
    List<Map.Entry<String, String>> out = new ArrayList<>(6);
    if (trust) {
      for (String name : client.names()) {
        String n = name.toLowerCase(Locale.ROOT);
        if (isForwarding(name) && !n.equals("forwarded") && !n.equals("x-forwarded-for")
            && !n.equals("x-forwarded-proto") && !n.equals("x-forwarded-host")) {
          for (String v : client.values(name)) {
            out.add(Map.entry(name, v));
          }
        }
      }
    }
    String host = client.host();
    String proto = client.scheme();
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

  private static String joined(Inbound client, String name) {
    List<String> values = client.values(name);
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
