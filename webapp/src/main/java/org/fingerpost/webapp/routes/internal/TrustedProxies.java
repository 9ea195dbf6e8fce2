package org.fingerpost.webapp.routes.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers whose {@code Forwarded}, {@code X-Forwarded-*} and {@code X-Real-IP} headers a route
 * keeps: literal IPv4/IPv6 addresses and CIDR ranges ({@code 10.0.0.0/8}, {@code fd00::/8}). Host
 * names are refused: a peer is known by its address only. Immutable and thread-safe.
 */
public final class TrustedProxies {
  private record Range(byte[] network, int bits) {}

  private final List<Range> ranges;

  private TrustedProxies(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /** @throws IllegalArgumentException naming an entry that is not an address or CIDR range */
  public static TrustedProxies parse(List<String> entries) {
    List<Range> ranges = new ArrayList<>();
    for (String entry : entries) {
      int slash = entry.indexOf('/');
      byte[] address = literal(slash < 0 ? entry : entry.substring(0, slash), entry);
      int bits = address.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          bits = -1;
        }
        if (bits < 0 || bits > address.length * 8) {
          throw new IllegalArgumentException("trusted_proxies entry '" + entry + "' has an invalid prefix length");
        }
      }
      ranges.add(new Range(address, bits));
    }
    return new TrustedProxies(ranges);
  }

  private static byte[] literal(String text, String entry) {
    // Only literals: InetAddress would otherwise resolve a name.
    if (!text.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
      throw new IllegalArgumentException("trusted_proxies entry '" + entry + "' is not an IP address or CIDR range");
    }
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("trusted_proxies entry '" + entry + "' is not an IP address", e);
    }
  }

  /** Whether {@code peer} (the servlet's remote address, a literal) is trusted. */
  public boolean trusts(String peer) {
    if (ranges.isEmpty() || peer == null) {
      return false;
    }
    byte[] address;
    try {
      address = literal(peer.startsWith("[") ? peer.substring(1, peer.length() - 1) : peer, peer);
    } catch (IllegalArgumentException e) {
      return false;
    }
    for (Range r : ranges) {
      if (r.network().length == address.length && samePrefix(r.network(), address, r.bits())) {
        return true;
      }
    }
    return false;
  }

  private static boolean samePrefix(byte[] a, byte[] b, int bits) {
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[full] & mask) == (b[full] & mask);
  }
}
