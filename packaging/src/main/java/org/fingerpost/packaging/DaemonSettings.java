package org.fingerpost.packaging;

import java.nio.file.Path;
import java.time.Duration;
import org.fingerpost.config.ConfigException;
import org.fingerpost.config.Configuration;
import org.fingerpost.config.Key;
import org.fingerpost.config.Keys;
import org.fingerpost.gateway.GatewaySettings;
import org.fingerpost.streamer.StreamerSettings;
import org.fingerpost.streams.LookupRateLimit;
import org.fingerpost.transport.finger.ConnectionLimits;

/**
 * The gateway's and the streamer's settings from a {@link Configuration} (the web node's are {@link
 * org.fingerpost.webapp.NodeSettings}'). Range and required-key checks name the section and key.
 * Stateless.
 */
final class DaemonSettings {
  private DaemonSettings() {}

  /** The gateway's settings. @throws ConfigException naming section {@code fingergw} and the key */
  static GatewaySettings gateway(Configuration c) throws ConfigException {
    return gatewayBuilder(c).build();
  }

  /** The gateway's settings without a TLS listener; {@link GatewayCommand} adds it (see {@link TlsWiring}). */
  static GatewaySettings.Builder gatewayBuilder(Configuration c) throws ConfigException {
    TlsWiring.checkComplete(c, Keys.GW_TLS_CERT, Keys.GW_TLS_KEY, Keys.GW_TLS_CA);
    Integer publicPort = c.optionalInteger(Keys.GW_PUBLIC_PORT);
    GatewaySettings.Builder b = GatewaySettings.builder()
        .listenAddress(c.text(Keys.GW_LISTEN_ADDRESS))
        .port(port(c, Keys.GW_PORT))
        .publicPort(publicPort == null ? null : port(c, Keys.GW_PUBLIC_PORT))
        .zone(c.text(Keys.GW_ZONE))
        .requestTimeout(Duration.ofMillis(Math.round(c.number(Keys.GW_REQUEST_TIMEOUT) * 1000)))
        .connectionLimits(connectionLimits(c, Keys.GW_MAX_CONNECTIONS, Keys.GW_MAX_CONNECTIONS_PER_IP,
            Keys.GW_ACCEPT_QUEUE));
    try {
      b.sharedWindowBytes(c.longValue(Keys.GW_SHARED_WINDOW_BYTES))
          .viewerBufferBytes(c.longValue(Keys.GW_VIEWER_BUFFER_BYTES))
          .catchUpUpstreams(c.integer(Keys.GW_CATCHUP_UPSTREAMS))
          .slowClientTimeout(Duration.ofMillis(Math.round(c.number(Keys.GW_SLOW_CLIENT_TIMEOUT) * 1000)))
          .lookupThreads(c.integer(Keys.GW_LOOKUP_THREADS))
          .lookupRateLimit(LookupRateLimit.of(c.number(Keys.GW_LOOKUP_RATE), c.integer(Keys.GW_LOOKUP_BURST)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid configuration: section 'fingergw': " + e.getMessage(), e);
    }
    if (c.text(Keys.GW_HOSTNAME) != null) {
      b.hostname(c.text(Keys.GW_HOSTNAME));
    }
    return b;
  }

  /** The streamer's settings. @throws ConfigException naming section {@code executor} and the key */
  static StreamerSettings streamer(Configuration c) throws ConfigException {
    String jobDir = c.text(Keys.EX_JOB_DIR);
    if (jobDir == null) {
      throw ConfigException.invalid(Keys.EX_JOB_DIR, "is required");
    }
    int port = port(c, Keys.EX_FINGER_PORT);
    long pollMs = c.longValue(Keys.EX_POLL_INTERVAL_MS);
    if (pollMs <= 0) {
      throw ConfigException.invalid(Keys.EX_POLL_INTERVAL_MS, "must be positive, not " + pollMs);
    }
    TlsWiring.checkComplete(c, Keys.EX_TLS_CERT, Keys.EX_TLS_KEY, Keys.EX_TLS_CA);
    StreamerSettings.Builder b = StreamerSettings.builder()
        .listenAddress(c.text(Keys.EX_LISTEN_ADDRESS))
        .port(port)
        .jobDir(Path.of(jobDir))
        .zone(c.text(Keys.EX_ZONE))
        .tenant(c.text(Keys.EX_TENANT))
        .publishBuilds(c.bool(Keys.EX_PUBLISH_BUILDS))
        .pollInterval(Duration.ofMillis(pollMs))
        .connectionLimits(connectionLimits(c, Keys.EX_MAX_CONNECTIONS, Keys.EX_MAX_CONNECTIONS_PER_IP,
            Keys.EX_ACCEPT_QUEUE));
    if (c.text(Keys.EX_HOSTNAME) != null) {
      b.hostname(c.text(Keys.EX_HOSTNAME));
    }
    return b.build();
  }

  /** A finger port's connection limits from its section's three keys. @throws ConfigException naming them */
  private static ConnectionLimits connectionLimits(Configuration c, Key max, Key perIp, Key acceptQueue)
      throws ConfigException {
    try {
      return ConnectionLimits.of(c.integer(max), c.integer(perIp), c.integer(acceptQueue));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid configuration: section '" + max.section() + "': " + e.getMessage(), e);
    }
  }

  private static int port(Configuration c, Key key) throws ConfigException {
    int port = c.integer(key);
    if (port < 0 || port > 65535) {
      throw ConfigException.invalid(key, "must be a port (0-65535), not " + port);
    }
    return port;
  }
}
