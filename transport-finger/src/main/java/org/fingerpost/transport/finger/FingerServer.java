package org.fingerpost.transport.finger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fingerpost.transport.finger.internal.FingerConnector;
import org.fingerpost.transport.finger.internal.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A finger server front (docs/design.md 3.1), used by the streamer and the gateway: accepts connections,
 * reads and validates the request line, and hands each valid request with its {@link FingerExchange}
 * to the {@link FingerHandler}.
 *
 * <p><b>I/O.</b> Built on Jetty's {@link org.eclipse.jetty.server.Server}, a {@link
 * org.eclipse.jetty.server.ServerConnector} and a finger connection
 * factory: reads and writes are non-blocking, no thread is parked per connection, and the connector
 * is wrapped in TLS when an {@link SslContextFactory.Server} is configured (mutual TLS if that factory
 * requires client certificates).
 *
 * <p><b>Limits</b> (each a builder setting): the request line may be at most {@link #maxLineBytes}
 * bytes including its newline and must be complete within the request timeout; otherwise the
 * connection is closed, after writing the optional {@code requestErrorMessage}. An id that is not
 * hex digits gets {@code Build ID <id> is not valid} (see {@link FingerRequest#parse}). After the
 * request a stream may stay quiet forever, but a client that takes no byte of a pending write for
 * the stalled-client timeout is dropped. On a TLS port the handshake must be complete within the
 * handshake timeout; failed and stalled handshakes are logged with the peer and the reason and counted
 * ({@link #tlsHandshakeFailures()}). Connections past the {@link ConnectionLimits} (in all, per client
 * address) are refused at once with {@value ConnectionLimits#REFUSAL} ({@link #refusedConnections()}).
 *
 * <p><b>Lifecycle.</b> Build, {@link #start()}, {@link #close()}. Closing closes every open exchange
 * (their {@link FingerExchange#onClose} actions run) and stops the threads. Thread-safe.
 */
public final class FingerServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FingerServer.class);

  /** Listen on every IPv4 address unless told otherwise. */
  public static final String DEFAULT_HOST = "0.0.0.0";

  /**
   * Default time a client may leave a pending write completely untaken (it reads nothing) before it
   * is dropped: long, because a person paging through a log in {@code less} stops reading too.
   * Quiet streams (nothing to write) are never dropped.
   */
  public static final Duration DEFAULT_STALLED_CLIENT_TIMEOUT = Duration.ofMinutes(10);

  /**
   * Once a connection is ending (end of log, error message, refused request): how long, counted from
   * that moment, the client may take no byte of the last write, or keep its side open after our end,
   * before the socket is closed anyway. Bytes already handed to the kernel are still delivered after
   * that close. Time the connection was quiet before it began ending does not count, so the final
   * error text is written whatever the quiet before it.
   */
  public static final Duration CLOSE_LINGER = Duration.ofSeconds(5);

  /**
   * Default time a TLS client has, from connecting, to complete the handshake; a stalled handshake
   * is closed after it (and logged), whatever the request timeout.
   */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private final String name;
  private final String host;
  private final int requestedPort;
  private final int maxLineBytes;
  private final Duration requestTimeout;
  private final FingerConnector jetty;
  private volatile boolean closed;

  private FingerServer(Builder b) {
    this.name = b.name;
    this.host = b.host;
    this.requestedPort = b.port;
    this.maxLineBytes = b.maxLineBytes;
    this.requestTimeout = b.requestTimeout;
    ServerSettings settings = new ServerSettings(name, b.handler, b.maxLineBytes, b.requestTimeout,
        b.requestErrorMessage == null ? null : b.requestErrorMessage.getBytes(StandardCharsets.UTF_8),
        b.onInvalidRequest, b.closeLinger, ConcurrentHashMap.newKeySet());
    this.jetty = new FingerConnector(settings, host, requestedPort, b.stalledClientTimeout,
        b.sslContextFactory, b.handshakeTimeout, b.connectionLimits);
  }

  /** A builder with the defaults of the class comment; only the handler is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Binds the port and starts accepting. */
  public void start() throws Exception {
    if (closed) {
      throw new IllegalStateException("Finger server " + name + " is closed");
    }
    jetty.start();
    LOG.info("Finger server {} listening on {}:{}{}", name, host, port(), jetty.tls() ? " (TLS)" : "");
  }

  /** The bound port (the real one when the builder asked for port 0); -1 before {@link #start()}. */
  public int port() {
    return jetty.port();
  }

  /** The name used for threads and logs. */
  public String name() {
    return name;
  }

  /** The longest request line accepted, in bytes including the newline. */
  public int maxLineBytes() {
    return maxLineBytes;
  }

  /** How long a client has to send its request line. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Connections currently open (reading their request, streaming or closing); for metrics. */
  public int openConnections() {
    return jetty.openConnections();
  }

  /** Connections refused by the {@link ConnectionLimits} since start; for metrics and tests. */
  public long refusedConnections() {
    return jetty.refusedConnections();
  }

  /** TLS handshakes refused or timed out since start (0 on a plain port); for metrics and tests. */
  public long tlsHandshakeFailures() {
    return jetty.tlsHandshakeFailures();
  }

  /** Closes every open exchange and stops the server. Idempotent; never throws. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    jetty.stop();
    LOG.info("Finger server {} stopped", name);
  }

  @Override
  public String toString() {
    return "FingerServer[" + name + " " + host + ":" + (jetty.started() ? port() : requestedPort) + "]";
  }

  /** Configures a {@link FingerServer}; not thread-safe, use from one thread. */
  public static final class Builder {
    private String name = "finger";
    private String host = DEFAULT_HOST;
    private int port;
    private FingerHandler handler;
    private Duration requestTimeout = FingerRequest.REQUEST_TIMEOUT;
    private int maxLineBytes = FingerRequest.MAX_LINE_BYTES;
    private Duration stalledClientTimeout = DEFAULT_STALLED_CLIENT_TIMEOUT;
    private SslContextFactory.Server sslContextFactory;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private Consumer<InvalidRequest> onInvalidRequest;
    private String requestErrorMessage;
    private Duration closeLinger = CLOSE_LINGER;
    private ConnectionLimits connectionLimits = ConnectionLimits.defaults();

    private Builder() {}

    /**
     * Open connections in all and per client address, and the accept queue; default {@link
     * ConnectionLimits#defaults()}. A plain client past a limit reads {@value ConnectionLimits#REFUSAL}
     * before the close; a TLS client is closed at once.
     */
    public Builder connectionLimits(ConnectionLimits connectionLimits) {
      this.connectionLimits = Objects.requireNonNull(connectionLimits, "connectionLimits");
      return this;
    }

    /** Name of the thread pool, the connector and log lines; default {@code finger}. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Address to bind; default {@value FingerServer#DEFAULT_HOST}; {@code ::} for every address. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** Port to bind; default 0 (any free port, see {@link FingerServer#port()}). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port out of range: " + port);
      }
      this.port = port;
      return this;
    }

    /** Serves the valid requests; required. */
    public Builder handler(FingerHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Time from connect until the request line must be complete; default {@link FingerRequest#REQUEST_TIMEOUT}. */
    public Builder requestTimeout(Duration requestTimeout) {
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
      }
      this.requestTimeout = requestTimeout;
      return this;
    }

    /** Longest request line in bytes, newline included; default {@link FingerRequest#MAX_LINE_BYTES}. */
    public Builder maxLineBytes(int maxLineBytes) {
      if (maxLineBytes < 2) {
        throw new IllegalArgumentException("maxLineBytes must be at least 2: " + maxLineBytes);
      }
      this.maxLineBytes = maxLineBytes;
      return this;
    }

    /**
     * How long a client may take no byte at all of a pending write before it is dropped (Jetty's
     * connector idle timeout, applied only while a write is pending); default {@link
     * FingerServer#DEFAULT_STALLED_CLIENT_TIMEOUT}. Quiet streams are never dropped.
     */
    public Builder stalledClientTimeout(Duration stalledClientTimeout) {
      if (stalledClientTimeout.isNegative() || stalledClientTimeout.isZero()) {
        throw new IllegalArgumentException("stalledClientTimeout must be positive: " + stalledClientTimeout);
      }
      this.stalledClientTimeout = stalledClientTimeout;
      return this;
    }

    /** TLS for the listening port; null (the default) for plain finger. */
    public Builder sslContextFactory(SslContextFactory.Server sslContextFactory) {
      this.sslContextFactory = sslContextFactory;
      return this;
    }

    /** With TLS: time from connect until the handshake must be complete; default {@link FingerServer#DEFAULT_HANDSHAKE_TIMEOUT}. */
    public Builder handshakeTimeout(Duration handshakeTimeout) {
      if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
        throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
      }
      this.handshakeTimeout = handshakeTimeout;
      return this;
    }

    /**
     * Optional hook (for metrics) run once per refused request (line too long, too late, or not a
     * valid build id), on the thread that refused it (a pool or scheduler thread): must be quick and
     * must not block. Replaces a hook set with {@link #onInvalidRequestReason}.
     */
    public Builder onInvalidRequest(Runnable hook) {
      this.onInvalidRequest = hook == null ? null : reason -> hook.run();
      return this;
    }

    /**
     * Like {@link #onInvalidRequest(Runnable)}, for a hook that wants the reason (for example as a
     * metric tag). A separate name, so that an overloaded method reference such as Micrometer's
     * {@code counter::increment} stays unambiguous for {@code onInvalidRequest}.
     */
    public Builder onInvalidRequestReason(Consumer<InvalidRequest> hook) {
      this.onInvalidRequest = hook;
      return this;
    }

    /**
     * Text written (UTF-8, no newline) before closing a connection whose request line is too long
     * or too late, and when the handler throws; the gateway uses {@code Internal streaming error}.
     * Default null: close without a word (the streamer, like Zuul's).
     */
    public Builder requestErrorMessage(String requestErrorMessage) {
      this.requestErrorMessage = requestErrorMessage;
      return this;
    }

    /** For tests: the {@link FingerServer#CLOSE_LINGER} of this server, to see it expire quickly. */
    Builder closeLinger(Duration closeLinger) {
      this.closeLinger = Objects.requireNonNull(closeLinger, "closeLinger");
      return this;
    }

    /** @throws IllegalStateException when no handler was set */
    public FingerServer build() {
      if (handler == null) {
        throw new IllegalStateException("FingerServer needs a handler");
      }
      return new FingerServer(this);
    }
  }
}
