package org.fingerpost.transport;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The values of one {@link StreamTarget} and their rules: what its builder collected, checked and
 * copied once, so that the target itself is only its public face. Package-private: plugins see
 * {@link StreamTarget}, {@link StreamTarget.Endpoint} and {@link StreamTarget.Builder} alone.
 * Immutable, so thread-safe.
 *
 * @param serverName the SNI name; null stands for {@code host}
 */
record TargetValues(String buildId, String host, int port, boolean tls, String serverName,
    StreamTarget.Route route, String zone, Set<String> capabilities, Map<String, String> attributes,
    long offset, int hops, List<StreamTarget.Endpoint> alternates, StreamTarget.Endpoint fallback,
    String requesterZone) {

  /** @throws IllegalArgumentException for an offset on a peer without {@link StreamTarget#OFFSET_CAPABILITY} */
  TargetValues {
    serverName = serverName != null ? serverName : host;
    capabilities = Set.copyOf(capabilities);
    attributes = Map.copyOf(attributes);
    alternates = List.copyOf(alternates);
    if (offset > 0 && !capabilities.contains(StreamTarget.OFFSET_CAPABILITY)) {
      throw new IllegalArgumentException("offset " + offset + " for a peer without the '"
          + StreamTarget.OFFSET_CAPABILITY + "' capability");
    }
  }

  /** @throws IllegalArgumentException for a port outside 1 to 65535 */
  static int checkPort(int port) {
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    return port;
  }

  /** @throws IllegalArgumentException for a blank host (NullPointerException for none) */
  static void checkHost(String host) {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("blank host");
    }
  }

  /** @throws IllegalArgumentException for a negative offset */
  static long checkOffset(long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }
    return offset;
  }

  /** How targets and endpoints name themselves in log lines: {@code tls://host:port} or {@code finger://host:port}. */
  static String uri(boolean tls, String host, int port) {
    return (tls ? "tls://" : "finger://") + host + ":" + port;
  }
}
