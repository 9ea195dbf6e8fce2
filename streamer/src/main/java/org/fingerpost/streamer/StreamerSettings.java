package org.fingerpost.streamer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fingerpost.transport.finger.ConnectionLimits;
import org.fingerpost.streamer.internal.FileChangeNotifier;
import org.fingerpost.streamer.internal.LogFollower;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings of a {@link Streamer}: Zuul's {@code [executor]} section ({@code finger_port}, {@code
 * job_dir}, {@code zone}) plus what a standalone streamer needs. Immutable and thread-safe; build
 * with {@link #builder(Path)}. Each default is a named constant.
 */
public final class StreamerSettings {
  private static final Logger LOG = LoggerFactory.getLogger(StreamerSettings.class);

  /** Default listen address: every address, IPv6 and IPv4 (Zuul's {@code listen_address}). */
  public static final String DEFAULT_LISTEN_ADDRESS = "::";
  /** Default finger port of an executor (Zuul's {@code finger_port}). */
  public static final int DEFAULT_PORT = 7900;
  /** Default tenant written into published build nodes. */
  public static final String DEFAULT_TENANT = "default";
  /** Default period of the fallback poll for file changes (milliseconds). */
  public static final Duration DEFAULT_POLL_INTERVAL = FileChangeNotifier.DEFAULT_POLL_INTERVAL;
  /** Default size of one file read and of one chunk written to a client (bytes): 64 KiB. */
  public static final int DEFAULT_CHUNK_BYTES = LogFollower.DEFAULT_CHUNK_BYTES;
  /** Shortest accepted poll interval (milliseconds): shorter only burns CPU. */
  public static final Duration MIN_POLL_INTERVAL = Duration.ofMillis(10);

  private final String listenAddress;
  private final int port;
  private final String hostname;
  private final String zone;
  private final Path jobDir;
  private final String tenant;
  private final boolean publishBuilds;
  private final Duration pollInterval;
  private final int chunkBytes;
  private final SslContextFactory.Server sslContextFactory;
  private final ConnectionLimits connectionLimits;

  private StreamerSettings(Builder b, String hostname) {
    this.listenAddress = b.listenAddress;
    this.port = b.port;
    this.hostname = hostname;
    this.zone = b.zone;
    this.jobDir = b.jobDir;
    this.tenant = b.tenant;
    this.publishBuilds = b.publishBuilds;
    this.pollInterval = b.pollInterval;
    this.chunkBytes = b.chunkBytes;
    this.sslContextFactory = b.sslContextFactory;
    this.connectionLimits = b.connectionLimits;
  }

  /** A builder for a streamer over {@code jobDir} (required), every other setting at its default. */
  public static Builder builder(Path jobDir) {
    return new Builder().jobDir(jobDir);
  }

  /** A builder with every setting at its default; {@link Builder#jobDir} must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** The address the finger port binds; default {@value #DEFAULT_LISTEN_ADDRESS}. */
  public String listenAddress() {
    return listenAddress;
  }

  /** The finger port to bind; 0 picks a free one. Default {@value #DEFAULT_PORT}. */
  public int port() {
    return port;
  }

  /**
   * The hostname advertised in the registry (component entry and {@code worker_info}): what clients
   * and gateways connect to. Default: this host's fully qualified name.
   */
  public String hostname() {
    return hostname;
  }

  /** The executor's zone, or null when unzoned (the default). */
  public String zone() {
    return zone;
  }

  /** The executor's job directory: {@code <jobDir>/<build-uuid>/work/logs/job-output.txt}. */
  public Path jobDir() {
    return jobDir;
  }

  /** The {@code tenant_name} of published build nodes; default {@value #DEFAULT_TENANT}. */
  public String tenant() {
    return tenant;
  }

  /**
   * Whether the streamer writes a build node for each build in its job directory (standalone use);
   * must be false next to a real Zuul, whose scheduler owns those nodes. Default true. Without a
   * registry nothing is published either way.
   */
  public boolean publishBuilds() {
    return publishBuilds;
  }

  /**
   * The fallback poll period for file changes: the worst-case latency of new log bytes on a file
   * system without change notifications. Default 250 ms.
   */
  public Duration pollInterval() {
    return pollInterval;
  }

  /** Size of one file read and of one chunk written to a client, in bytes. Default 64 KiB. */
  public int chunkBytes() {
    return chunkBytes;
  }

  /**
   * TLS for the finger port (mutual TLS when the factory requires client certificates, as the
   * {@code transport-tls} factories do), or null for plain finger. Built by the packaging from the
   * {@code executor} section's {@code tls_*} keys.
   */
  public SslContextFactory.Server sslContextFactory() {
    return sslContextFactory;
  }

  /** Connection limits and accept queue of the finger port ({@code executor.max_connections}, ...). */
  public ConnectionLimits connectionLimits() {
    return connectionLimits;
  }

  public Builder toBuilder() {
    return new Builder()
        .listenAddress(listenAddress)
        .port(port)
        .hostname(hostname)
        .zone(zone)
        .jobDir(jobDir)
        .tenant(tenant)
        .publishBuilds(publishBuilds)
        .pollInterval(pollInterval)
        .chunkBytes(chunkBytes)
        .sslContextFactory(sslContextFactory)
        .connectionLimits(connectionLimits);
  }

  @Override
  public String toString() {
    return "StreamerSettings{listen=" + listenAddress + ":" + port + ", hostname=" + hostname + ", zone="
        + zone + ", jobDir=" + jobDir + ", tenant=" + tenant + ", publishBuilds=" + publishBuilds
        + ", pollInterval=" + pollInterval.toMillis() + "ms, chunkBytes=" + chunkBytes
        + (sslContextFactory != null ? ", tls" : "") + "}";
  }

  /** Builds a {@link StreamerSettings}; not thread-safe. */
  public static final class Builder {
    private String listenAddress = DEFAULT_LISTEN_ADDRESS;
    private int port = DEFAULT_PORT;
    private String hostname;
    private String zone;
    private Path jobDir;
    private String tenant = DEFAULT_TENANT;
    private boolean publishBuilds = true;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private int chunkBytes = DEFAULT_CHUNK_BYTES;
    private SslContextFactory.Server sslContextFactory;
    private ConnectionLimits connectionLimits = ConnectionLimits.streamerDefaults();

    /** See {@link StreamerSettings#connectionLimits()}; default {@link ConnectionLimits#streamerDefaults()}. */
    public Builder connectionLimits(ConnectionLimits connectionLimits) {
      this.connectionLimits = Objects.requireNonNull(connectionLimits, "connectionLimits");
      return this;
    }

    private Builder() {}

    /** See {@link StreamerSettings#sslContextFactory()}; null (the default) for plain finger. */
    public Builder sslContextFactory(SslContextFactory.Server sslContextFactory) {
      this.sslContextFactory = sslContextFactory;
      return this;
    }

    /** See {@link StreamerSettings#listenAddress()}. */
    public Builder listenAddress(String listenAddress) {
      this.listenAddress = Objects.requireNonNull(listenAddress, "listenAddress");
      return this;
    }

    /** See {@link StreamerSettings#port()}; 0..65535. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** See {@link StreamerSettings#hostname()}; null or blank for the default. */
    public Builder hostname(String hostname) {
      this.hostname = hostname == null || hostname.isBlank() ? null : hostname.trim();
      return this;
    }

    /** See {@link StreamerSettings#zone()}; null or blank for unzoned. */
    public Builder zone(String zone) {
      this.zone = zone == null || zone.isBlank() ? null : zone.trim();
      return this;
    }

    /** See {@link StreamerSettings#jobDir()}; required. */
    public Builder jobDir(Path jobDir) {
      this.jobDir = jobDir;
      return this;
    }

    /** See {@link StreamerSettings#tenant()}. */
    public Builder tenant(String tenant) {
      this.tenant = Objects.requireNonNull(tenant, "tenant");
      return this;
    }

    /** See {@link StreamerSettings#publishBuilds()}. */
    public Builder publishBuilds(boolean publishBuilds) {
      this.publishBuilds = publishBuilds;
      return this;
    }

    /** See {@link StreamerSettings#pollInterval()}; at least {@link StreamerSettings#MIN_POLL_INTERVAL}. */
    public Builder pollInterval(Duration pollInterval) {
      Objects.requireNonNull(pollInterval, "pollInterval");
      if (pollInterval.compareTo(MIN_POLL_INTERVAL) < 0) {
        throw new IllegalArgumentException("pollInterval must be at least " + MIN_POLL_INTERVAL.toMillis()
            + " ms: " + pollInterval);
      }
      this.pollInterval = pollInterval;
      return this;
    }

    /**
     * See {@link StreamerSettings#chunkBytes()}; between {@link LogFollower#MIN_CHUNK_BYTES} and {@link
     * LogFollower#MAX_CHUNK_BYTES}.
     */
    public Builder chunkBytes(int chunkBytes) {
      if (chunkBytes < LogFollower.MIN_CHUNK_BYTES || chunkBytes > LogFollower.MAX_CHUNK_BYTES) {
        throw new IllegalArgumentException("chunkBytes must be in [" + LogFollower.MIN_CHUNK_BYTES + ", "
            + LogFollower.MAX_CHUNK_BYTES + "]: " + chunkBytes);
      }
      this.chunkBytes = chunkBytes;
      return this;
    }

    /**
     * Builds the configuration, resolving the default hostname (a DNS lookup) if none was set.
     *
     * @throws IllegalArgumentException when {@code jobDir} is missing or the tenant is blank
     */
    public StreamerSettings build() {
      if (jobDir == null) {
        throw new IllegalArgumentException("jobDir is required");
      }
      if (tenant.isBlank()) {
        throw new IllegalArgumentException("tenant must not be blank");
      }
      return new StreamerSettings(this, hostname != null ? hostname : org.fingerpost.registry.LocalHostname.canonical());
    }
  }
}
