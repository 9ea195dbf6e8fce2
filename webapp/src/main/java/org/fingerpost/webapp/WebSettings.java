package org.fingerpost.webapp;

import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.fingerpost.streams.SharedStreams;
import org.fingerpost.webapp.routes.ProxySettings;
import org.fingerpost.webapp.routes.RoutesSetting;

/**
 * The web tier's settings (docs/configuration.md, section {@code web}): where it listens, its zone for the routing
 * rule, the limits of each console-stream websocket and the routing table of proxied path prefixes.
 * Immutable; build with {@link #builder()}.
 */
public final class WebSettings {
  /** Zuul's default: local only, a reverse proxy in front publishes it. */
  public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
  /** Zuul's default web port. */
  public static final int DEFAULT_PORT = 9000;
  /** Bytes of log text queued for one websocket before its upstream is paused. */
  public static final int DEFAULT_SEND_BUFFER_BYTES = 1024 * 1024;
  /**
   * Bytes of log text all websockets of a node may hold in send buffers together (text shared by
   * several counted once) before the slowest are closed 1008: 256 MiB, an eighth of a 2 GiB heap.
   */
  public static final long DEFAULT_SEND_BUFFER_BUDGET_BYTES = 256L * 1024 * 1024;
  /** Largest first (request) message a websocket client may send, in UTF-8 bytes. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1024;
  /** docs/design.md 3.2: a ping every 20 s keeps proxies from idling the websocket out. */
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(20);
  /** How long a websocket's send buffer may stay full before the client is closed as too slow. */
  public static final Duration DEFAULT_SLOW_CLIENT_TIMEOUT = Duration.ofSeconds(10);
  /** Threads doing registry lookups for new websockets (lookups block on ZooKeeper, streams never do). */
  public static final int DEFAULT_LOOKUP_THREADS = org.fingerpost.streams.StreamFront.DEFAULT_LOOKUP_THREADS;
  /**
   * Whether websockets may negotiate {@code permessage-deflate} (browsers ask for it). Off: with
   * 1,000 viewers it doubled the fan-out's CPU and the median latency (bench/web-latency), and each
   * compressing websocket holds its own deflate state.
   */
  public static final boolean DEFAULT_WEBSOCKET_COMPRESSION = false;

  private final String listenAddress;
  private final int port;
  private final String zone;
  private final int sendBufferBytes;
  private final long sendBufferBudgetBytes;
  private final int maxRequestBytes;
  private final Duration pingInterval;
  private final Duration slowClientTimeout;
  private final int lookupThreads;
  private final Map<String, URI> routes;
  private final long sharedWindowBytes;
  private final long viewerBufferBytes;
  private final int catchUpUpstreams;
  private final boolean websocketCompression;
  private final ProxySettings proxy;
  private final ConsoleStreamPolicy consoleStreams;

  private WebSettings(Builder b) {
    this.listenAddress = b.listenAddress;
    this.port = b.port;
    this.zone = b.zone == null || b.zone.isBlank() ? null : b.zone;
    this.sendBufferBytes = positive("send_buffer_bytes", b.sendBufferBytes);
    this.sendBufferBudgetBytes = positive("send_buffer_budget_bytes", b.sendBufferBudgetBytes);
    this.maxRequestBytes = positive("max_request_bytes", b.maxRequestBytes);
    this.pingInterval = positive("ping_interval", b.pingInterval);
    this.slowClientTimeout = positive("slow_client_timeout", b.slowClientTimeout);
    this.lookupThreads = positive("lookup_threads", b.lookupThreads);
    this.websocketCompression = b.websocketCompression;
    this.proxy = Objects.requireNonNull(b.proxy, "proxy");
    this.consoleStreams = Objects.requireNonNull(b.consoleStreams, "consoleStreams");
    this.routes = Collections.unmodifiableMap(new LinkedHashMap<>(b.routes));
    if (b.sharedWindowBytes < 0) {
      throw new IllegalArgumentException("shared_window_bytes must be >= 0, not " + b.sharedWindowBytes);
    }
    this.sharedWindowBytes = b.sharedWindowBytes;
    this.viewerBufferBytes = positive("viewer_buffer_bytes", b.viewerBufferBytes);
    this.catchUpUpstreams = b.catchUpUpstreams; // checked by SharedStreams.Builder and NodeSettings
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, not " + port);
    }
  }

  private static int positive(String key, int value) {
    return (int) positive(key, (long) value);
  }

  private static long positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, not " + value);
    }
    return value;
  }

  private static Duration positive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be a positive duration, not " + value);
    }
    return value;
  }

  /** Bytes of each shared build log kept for late-joining websockets ({@code shared_window_bytes}). */
  public long sharedWindowBytes() {
    return sharedWindowBytes;
  }

  /** Bytes that may wait for one websocket while others read on; beyond it it rides a catch-up. */
  public long viewerBufferBytes() {
    return viewerBufferBytes;
  }

  public int catchUpUpstreams() {
    return catchUpUpstreams;
  }

  /** Allowed origins and lookup rate of console-stream websockets. */
  public ConsoleStreamPolicy consoleStreams() {
    return consoleStreams;
  }
  public static Builder builder() {
    return new Builder();
  }

  public String listenAddress() {
    return listenAddress;
  }

  /** The port to bind; 0 picks a free one. */
  public int port() {
    return port;
  }

  /** This web node's zone (input of the routing rule), null when unzoned. */
  public String zone() {
    return zone;
  }

  public int sendBufferBytes() {
    return sendBufferBytes;
  }

  /** Bytes of log text all of this node's websockets may hold in send buffers ({@code send_buffer_budget_bytes}). */
  public long sendBufferBudgetBytes() {
    return sendBufferBudgetBytes;
  }

  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  public Duration pingInterval() {
    return pingInterval;
  }

  public Duration slowClientTimeout() {
    return slowClientTimeout;
  }

  public int lookupThreads() {
    return lookupThreads;
  }

  /** Whether console-stream websockets may negotiate {@code permessage-deflate}. */
  public boolean websocketCompression() {
    return websocketCompression;
  }

  /** How routes are proxied: timeouts, body limit, trusted proxies, {@code Via}, access log. */
  public ProxySettings proxy() {
    return proxy;
  }

  /** Path prefix (starting and ending with {@code /}; {@code /} is the default backend) to backend base URI, in configuration order. */
  public Map<String, URI> routes() {
    return routes;
  }

  /**
   * Parses a routing table written {@code /prefix/=http://host:port/[,/other/=http://...]}: {@link
   * RoutesSetting#parse}.
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static Map<String, URI> parseRoutes(String text) {
    return RoutesSetting.parse(text);
  }

  /** Builds {@link WebSettings}; every value starts at its documented default. */
  public static final class Builder {
    private String listenAddress = DEFAULT_LISTEN_ADDRESS;
    private int port = DEFAULT_PORT;
    private String zone;
    private int sendBufferBytes = DEFAULT_SEND_BUFFER_BYTES;
    private long sendBufferBudgetBytes = DEFAULT_SEND_BUFFER_BUDGET_BYTES;
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private Duration pingInterval = DEFAULT_PING_INTERVAL;
    private Duration slowClientTimeout = DEFAULT_SLOW_CLIENT_TIMEOUT;
    private int lookupThreads = DEFAULT_LOOKUP_THREADS;
    private Map<String, URI> routes = new LinkedHashMap<>();
    private long sharedWindowBytes = SharedStreams.DEFAULT_WINDOW_BYTES;
    private long viewerBufferBytes = SharedStreams.DEFAULT_VIEWER_BUFFER_BYTES;
    private int catchUpUpstreams = SharedStreams.DEFAULT_CATCH_UP_UPSTREAMS;
    private boolean websocketCompression = DEFAULT_WEBSOCKET_COMPRESSION;
    private ProxySettings proxy = ProxySettings.defaults();
    private ConsoleStreamPolicy consoleStreams = ConsoleStreamPolicy.defaults();

    public Builder consoleStreams(ConsoleStreamPolicy policy) { // default ConsoleStreamPolicy.defaults()
      this.consoleStreams = policy;
      return this;
    }

    /** How routes are proxied; default {@link ProxySettings#defaults()}. */
    public Builder proxy(ProxySettings proxy) {
      this.proxy = proxy;
      return this;
    }

    /** Default {@link #DEFAULT_WEBSOCKET_COMPRESSION}. */
    public Builder websocketCompression(boolean on) {
      this.websocketCompression = on;
      return this;
    }

    public Builder sharedWindowBytes(long bytes) {
      this.sharedWindowBytes = bytes;
      return this;
    }

    public Builder viewerBufferBytes(long bytes) {
      this.viewerBufferBytes = bytes;
      return this;
    }

    public Builder catchUpUpstreams(int upstreams) {
      this.catchUpUpstreams = upstreams;
      return this;
    }

    private Builder() {}

    public Builder listenAddress(String listenAddress) {
      this.listenAddress = Objects.requireNonNull(listenAddress, "listenAddress");
      return this;
    }

    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder zone(String zone) {
      this.zone = zone;
      return this;
    }

    public Builder sendBufferBytes(int bytes) {
      this.sendBufferBytes = bytes;
      return this;
    }

    /** Default {@link #DEFAULT_SEND_BUFFER_BUDGET_BYTES}. */
    public Builder sendBufferBudgetBytes(long bytes) {
      this.sendBufferBudgetBytes = bytes;
      return this;
    }

    public Builder maxRequestBytes(int bytes) {
      this.maxRequestBytes = bytes;
      return this;
    }

    public Builder pingInterval(Duration interval) {
      this.pingInterval = interval;
      return this;
    }

    public Builder slowClientTimeout(Duration timeout) {
      this.slowClientTimeout = timeout;
      return this;
    }

    public Builder lookupThreads(int threads) {
      this.lookupThreads = threads;
      return this;
    }

    public Builder routes(Map<String, URI> routes) {
      this.routes = new LinkedHashMap<>(routes);
      return this;
    }

    /** @throws IllegalArgumentException naming the invalid setting */
    public WebSettings build() {
      return new WebSettings(this);
    }
  }
}
