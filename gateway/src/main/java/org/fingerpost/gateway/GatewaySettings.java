package org.fingerpost.gateway;

import java.time.Duration;
import java.util.Objects;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fingerpost.streams.LookupRateLimit;
import org.fingerpost.streams.SharedStreams;
import org.fingerpost.streams.StreamFront;
import org.fingerpost.transport.finger.FingerServer;
import org.fingerpost.transport.finger.ConnectionLimits;

/**
 * Settings of one finger gateway (the {@code fingergw} section of the configuration file; the
 * table of docs/configuration.md documents each key). Immutable; see {@link #builder()} for the defaults.
 */
public final class GatewaySettings {

  /** Zuul's finger port. Privileged: see docs/operations.md, "Without root". */
  public static final int DEFAULT_PORT = 79;
  /** Listen on every address, IPv6 and IPv4, like Zuul. */
  public static final String DEFAULT_LISTEN_ADDRESS = "::";

  private final String listenAddress;
  private final int port;
  private final Integer publicPort;
  private final String hostname;
  private final String zone;
  private final Duration requestTimeout;
  private final SslContextFactory.Server sslContextFactory;
  private final long sharedWindowBytes;
  private final int lookupThreads;
  private final long viewerBufferBytes;
  private final int catchUpUpstreams;
  private final Duration slowClientTimeout;
  private final ConnectionLimits connectionLimits;
  private final LookupRateLimit lookupRateLimit;

  private GatewaySettings(Builder b) {
    this.listenAddress = b.listenAddress;
    this.port = b.port;
    this.publicPort = b.publicPort;
    this.hostname = Objects.requireNonNull(b.hostname, "hostname");
    this.zone = b.zone == null || b.zone.isBlank() ? null : b.zone;
    this.requestTimeout = b.requestTimeout;
    this.sharedWindowBytes = b.sharedWindowBytes;
    this.lookupThreads = b.lookupThreads;
    this.viewerBufferBytes = b.viewerBufferBytes;
    this.catchUpUpstreams = b.catchUpUpstreams;
    this.slowClientTimeout = b.slowClientTimeout;
    this.sslContextFactory = b.sslContextFactory;
    this.connectionLimits = b.connectionLimits;
    this.lookupRateLimit = b.lookupRateLimit;
  }

  /**
   * Defaults: listen on {@value #DEFAULT_LISTEN_ADDRESS} port {@value #DEFAULT_PORT}; public port =
   * the bound port; hostname = this host's canonical name; no zone (unzoned); 10 s to send
   * the request line. Hops to executors are plain unless the executor's registry entry says TLS.
   */
  public static Builder builder() {
    return new Builder();
  }

  public String listenAddress() {
    return listenAddress;
  }

  /** The port to bind; 0 picks a free one (tests). */
  public int port() {
    return port;
  }

  /** The port others connect to (a NAT or Route may map it); null means the bound port. */
  public Integer publicPort() {
    return publicPort;
  }

  /** The address others use to reach this gateway, registered in ZooKeeper. */
  public String hostname() {
    return hostname;
  }

  /** This gateway's zone, or null when unzoned. */
  public String zone() {
    return zone;
  }

  /** How long a client has to send its request line. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /**
   * TLS for the gateway's own port, or null for plain finger. With a factory the gateway registers
   * {@code use_ssl: true}. Built by the packaging from the {@code fingergw} {@code tls_*} keys
   * (mutual TLS: client certificates signed by {@code tls_ca} are required).
   */
  public SslContextFactory.Server sslContextFactory() {
    return sslContextFactory;
  }

  /** Builds a {@link GatewaySettings}. */
  /** Bytes of each shared build log kept for late joiners (see {@code SharedStreams}). */
  /** Threads doing registry lookups of new clients; see {@link StreamFront}. */
  public int lookupThreads() {
    return lookupThreads;
  }

  public long sharedWindowBytes() {
    return sharedWindowBytes;
  }

  /** Bytes that may wait for one client while others read on; beyond it the client rides a catch-up. */
  public long viewerBufferBytes() {
    return viewerBufferBytes;
  }

  /** Catch-up upstreams a build may have open at once (see {@code SharedStreams}); 0: none. */
  public int catchUpUpstreams() {
    return catchUpUpstreams;
  }

  /** How long a client may take no byte of a pending write before it is dropped. */
  public Duration slowClientTimeout() {
    return slowClientTimeout;
  }

  /** Connection limits and accept queue of the finger port ({@code fingergw.max_connections}, ...). */
  public ConnectionLimits connectionLimits() {
    return connectionLimits;
  }

  /** Build lookups per client address ({@code fingergw.lookup_rate}, {@code lookup_burst}). */
  public LookupRateLimit lookupRateLimit() {
    return lookupRateLimit;
  }

  public static final class Builder {
    private String listenAddress = DEFAULT_LISTEN_ADDRESS;
    private int port = DEFAULT_PORT;
    private Integer publicPort;
    private String hostname = org.fingerpost.registry.LocalHostname.canonical();
    private String zone;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private SslContextFactory.Server sslContextFactory;
    private long sharedWindowBytes = SharedStreams.DEFAULT_WINDOW_BYTES;
    private int lookupThreads = StreamFront.DEFAULT_LOOKUP_THREADS;
    private long viewerBufferBytes = SharedStreams.DEFAULT_VIEWER_BUFFER_BYTES;
    private int catchUpUpstreams = SharedStreams.DEFAULT_CATCH_UP_UPSTREAMS;
    private Duration slowClientTimeout = FingerServer.DEFAULT_STALLED_CLIENT_TIMEOUT;
    private ConnectionLimits connectionLimits = ConnectionLimits.defaults();
    private LookupRateLimit lookupRateLimit = LookupRateLimit.defaults();

    /** See {@link GatewaySettings#lookupRateLimit()}; default {@link LookupRateLimit#defaults()}. */
    public Builder lookupRateLimit(LookupRateLimit lookupRateLimit) {
      this.lookupRateLimit = Objects.requireNonNull(lookupRateLimit, "lookupRateLimit");
      return this;
    }

    /** See {@link GatewaySettings#connectionLimits()}; default {@link ConnectionLimits#defaults()}. */
    public Builder connectionLimits(ConnectionLimits connectionLimits) {
      this.connectionLimits = Objects.requireNonNull(connectionLimits, "connectionLimits");
      return this;
    }

    /** See {@link GatewaySettings#lookupThreads()}; at least 1. */
    public Builder lookupThreads(int lookupThreads) {
      if (lookupThreads < 1) {
        throw new IllegalArgumentException("lookup_threads must be at least 1, not " + lookupThreads);
      }
      this.lookupThreads = lookupThreads;
      return this;
    }

    /** See {@link GatewaySettings#sharedWindowBytes()}; bytes, at least 0. */
    public Builder sharedWindowBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("shared window must be >= 0 bytes: " + bytes);
      }
      this.sharedWindowBytes = bytes;
      return this;
    }

    /** See {@link GatewaySettings#viewerBufferBytes()}; bytes, at least 1. */
    public Builder viewerBufferBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("viewer buffer must be >= 1 byte: " + bytes);
      }
      this.viewerBufferBytes = bytes;
      return this;
    }

    /** See {@link GatewaySettings#catchUpUpstreams()}; at least 0. */
    public Builder catchUpUpstreams(int upstreams) {
      if (upstreams < 0) {
        throw new IllegalArgumentException("catchup_upstreams must be >= 0: " + upstreams);
      }
      this.catchUpUpstreams = upstreams;
      return this;
    }

    /** See {@link GatewaySettings#slowClientTimeout()}; positive. */
    public Builder slowClientTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("slow_client_timeout must be positive: " + timeout);
      }
      this.slowClientTimeout = timeout;
      return this;
    }

    /** See {@link GatewaySettings#sslContextFactory()}; null (the default) for plain finger. */
    public Builder sslContextFactory(SslContextFactory.Server sslContextFactory) {
      this.sslContextFactory = sslContextFactory;
      return this;
    }

    public Builder listenAddress(String listenAddress) {
      this.listenAddress = Objects.requireNonNull(listenAddress);
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder publicPort(Integer publicPort) {
      this.publicPort = publicPort;
      return this;
    }

    public Builder hostname(String hostname) {
      this.hostname = hostname;
      return this;
    }

    public Builder zone(String zone) {
      this.zone = zone;
      return this;
    }

    public Builder requestTimeout(Duration requestTimeout) {
      this.requestTimeout = Objects.requireNonNull(requestTimeout);
      return this;
    }

    public GatewaySettings build() {
      return new GatewaySettings(this);
    }
  }
}
