package org.fingerpost.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keys the routing rule adds to a {@link StreamTarget.Route#GATEWAY} target's {@link
 * StreamTarget#attributes()} so a relay transport can fail over without reading the registry itself,
 * and the encoding of their values. Every endpoint in them was read from the registry.
 *
 * <ul>
 *   <li>{@value #ALTERNATES}: the other running gateways of the build's zone, in the order to try
 *       them (already shuffled), encoded with {@link #encode(List)}; absent when there are none;
 *   <li>{@value #FALLBACK}: the executor itself ({@code worker_info.hostname:log_port}), the last
 *       resort when no gateway of the zone can be connected; one endpoint;
 *   <li>{@value #REQUESTER_ZONE}: the zone of the node that resolved the target; absent when unzoned.
 * </ul>
 *
 * Immutable helper; thread-safe.
 */
public final class RelayHints {
  /** Attribute: the zone's other running gateways, in the order to try them. */
  public static final String ALTERNATES = "fingerpost.relay.alternates";
  /** Attribute: the executor's direct endpoint. */
  public static final String FALLBACK = "fingerpost.relay.fallback";
  /** Attribute: the requesting node's zone. */
  public static final String REQUESTER_ZONE = "fingerpost.relay.requester_zone";

  private RelayHints() {}

  /** One endpoint: host, port and whether it speaks TLS. */
  public static final class Endpoint {
    private final String host;
    private final int port;
    private final boolean tls;

    public Endpoint(String host, int port, boolean tls) {
      this.host = Objects.requireNonNull(host, "host");
      if (host.isBlank() || host.contains(" ") || host.contains(",")) {
        throw new IllegalArgumentException("unusable host: '" + host + "'");
      }
      if (port <= 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      this.tls = tls;
    }

    public String host() {
      return host;
    }

    public int port() {
      return port;
    }

    public boolean tls() {
      return tls;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Endpoint && ((Endpoint) o).host.equals(host) && ((Endpoint) o).port == port
          && ((Endpoint) o).tls == tls;
    }

    @Override
    public int hashCode() {
      return Objects.hash(host, port, tls);
    }

    @Override
    public String toString() {
      return (tls ? "tls://" : "finger://") + host + ":" + port;
    }
  }

  /** {@code host port tls|plain} entries separated by commas (hosts contain neither). */
  public static String encode(List<Endpoint> endpoints) {
    StringBuilder b = new StringBuilder();
    for (Endpoint e : endpoints) {
      if (b.length() > 0) {
        b.append(',');
      }
      b.append(e.host).append(' ').append(e.port).append(' ').append(e.tls ? "tls" : "plain");
    }
    return b.toString();
  }

  /**
   * Decodes {@link #encode}'s output; null or blank gives an empty list.
   *
   * @throws IllegalArgumentException for a malformed entry
   */
  public static List<Endpoint> decode(String value) {
    List<Endpoint> out = new ArrayList<>();
    if (value == null || value.isBlank()) {
      return out;
    }
    for (String entry : value.split(",")) {
      String[] parts = entry.trim().split(" ");
      if (parts.length != 3 || !(parts[2].equals("tls") || parts[2].equals("plain"))) {
        throw new IllegalArgumentException("malformed relay endpoint: '" + entry + "'");
      }
      int port;
      try {
        port = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("malformed relay endpoint port: '" + entry + "'", e);
      }
      out.add(new Endpoint(parts[0], port, parts[2].equals("tls")));
    }
    return out;
  }
}
