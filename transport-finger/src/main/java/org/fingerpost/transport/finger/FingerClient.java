package org.fingerpost.transport.finger;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.finger.internal.FingerClientConnectionFactory;
import org.fingerpost.transport.finger.internal.FingerClientConnector;
import org.fingerpost.transport.finger.internal.FingerClientStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens finger streams: connects to a target, sends {@code <build id>\n} and pushes the response
 * bytes into a {@link LogSink} until the server closes. One client (one Jetty {@link
 * ClientConnector}, one small thread pool) serves every stream of a daemon.
 *
 * <p><b>Flow.</b> Bytes are read into one pooled buffer of {@link Builder#bufferBytes} per stream and
 * that buffer itself is passed to {@link LogSink#onData}; the next read happens only after the sink
 * ran {@code next} (real backpressure: a slow sink slows the upstream TCP connection, memory stays at
 * one buffer per stream). End of stream gives {@link LogSink#onEnd()}; a failure to resolve,
 * connect, complete the TLS handshake or send the request within the connect timeout, or a broken
 * connection, gives {@link LogSink#onError} with a {@link StreamException.Kind#INTERNAL} error. The
 * sink gets exactly one of them, never both, and nothing after {@link LogStream#close()}.
 *
 * <p><b>TLS.</b> A target with {@link StreamTarget#tls()} is opened with TLS when an {@link
 * SslContextFactory.Client} is configured, sending {@link StreamTarget#serverName()} as SNI and
 * checking the certificate against it (per the factory's endpoint identification setting). Without
 * one such a target fails with an error: the client never downgrades to plain text.
 *
 * <p><b>Threads.</b> {@link #open} never blocks: host name resolution and connecting happen on the
 * client's pool. Sink calls arrive on the client's pool threads. Thread-safe.
 *
 * <p><b>Lifecycle.</b> Build, {@link #start()}, {@link #open} any number of times, {@link #close()};
 * closing reports an error to the streams still open and stops the threads.
 */
public final class FingerClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FingerClient.class);

  /** Default time allowed to resolve, connect, finish the TLS handshake and send the request. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Default read buffer per stream, in bytes (64 KiB): large enough for full-speed relaying. */
  public static final int DEFAULT_BUFFER_BYTES = 64 * 1024;

  /** Smallest read buffer accepted, in bytes. */
  public static final int MIN_BUFFER_BYTES = 1024;

  /** Largest read buffer accepted, in bytes (16 MiB). */
  public static final int MAX_BUFFER_BYTES = 16 * 1024 * 1024;

  private static final Pattern BUILD_ID = Pattern.compile("[0-9A-Fa-f]+");

  private final String name;
  private final Duration connectTimeout;
  private final int bufferBytes;
  private final SslContextFactory.Client sslContextFactory;
  private final ClientConnector connector;
  private final Set<FingerClientStream> streams = ConcurrentHashMap.newKeySet();
  private volatile ClientConnectionFactory plainFactory;
  private volatile ClientConnectionFactory tlsFactory;
  private volatile boolean started;
  private volatile boolean closed;

  private FingerClient(Builder b) {
    this.name = b.name;
    this.connectTimeout = b.connectTimeout;
    this.bufferBytes = b.bufferBytes;
    this.sslContextFactory = b.sslContextFactory;
    this.connector = new FingerClientConnector();
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName(name);
    connector.setExecutor(threads);
    connector.setScheduler(new ScheduledExecutorScheduler(name + "-scheduler", false));
    connector.setByteBufferPool(new ArrayByteBufferPool());
    connector.setConnectTimeout(connectTimeout);
    if (sslContextFactory != null) {
      connector.setSslContextFactory(sslContextFactory);
    }
  }

  /** A builder with the defaults of the class comment. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts the threads (and the TLS context, if any). */
  public synchronized void start() throws Exception {
    if (closed) {
      throw new IllegalStateException("Finger client " + name + " is closed");
    }
    if (started) {
      return;
    }
    connector.start();
    FingerClientConnectionFactory finger =
        new FingerClientConnectionFactory(connector.getExecutor(), connector.getByteBufferPool(), bufferBytes);
    plainFactory = finger;
    tlsFactory = sslContextFactory == null ? null : finger.tls(sslContextFactory);
    started = true;
    LOG.debug("Finger client {} started (connect timeout {} ms, buffer {} bytes, TLS {})", name,
        connectTimeout.toMillis(), bufferBytes, sslContextFactory != null);
  }

  /**
   * Starts streaming {@code target}'s log into {@code sink} and returns at once; see the class
   * comment. Failures, even immediate ones, reach the sink (possibly before this method returns).
   *
   * @return the handle that cancels the stream; never null
   */
  public LogStream open(StreamTarget target, LogSink sink) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(sink, "sink");
    FingerClientStream stream = new FingerClientStream(target, sink, streams::remove);
    if (!started || closed) {
      stream.fail(StreamException.internal("Finger client " + name + " is not running", null));
      return stream;
    }
    if (!BUILD_ID.matcher(target.buildId()).matches()) {
      // StreamTarget promises hex ids; anything else could inject a second line upstream.
      stream.fail(StreamException.internal("Refusing to request invalid build id from " + target, null));
      return stream;
    }
    if (target.tls() && tlsFactory == null) {
      stream.fail(StreamException.internal("TLS target " + target + " but finger client " + name
          + " has no SslContextFactory", null));
      return stream;
    }
    streams.add(stream);
    if (closed) {
      stream.fail(StreamException.internal("Finger client " + name + " is closed", null));
      return stream;
    }
    try {
      long timeoutMs = connectTimeout.toMillis();
      stream.deadline(connector.getScheduler().schedule(() -> stream.fail(StreamException.internal(
          "No connection to " + target + " within " + timeoutMs + " ms",
          new SocketTimeoutException("connect timeout " + timeoutMs + " ms"))), timeoutMs, TimeUnit.MILLISECONDS));
      connector.getExecutor().execute(() -> connect(stream));
    } catch (RejectedExecutionException e) {
      stream.fail(StreamException.internal("Finger client " + name + " is stopping", e));
    }
    return stream;
  }

  private void connect(FingerClientStream stream) {
    StreamTarget target = stream.target();
    try {
      if (stream.isFinished()) {
        return;
      }
      // May block on DNS: that is why this runs on the pool, not in open().
      InetSocketAddress address = new InetSocketAddress(target.host(), target.port());
      if (address.isUnresolved()) {
        stream.fail(StreamException.internal("Cannot resolve " + target.host() + " for " + target,
            new UnknownHostException(target.host())));
        return;
      }
      Map<String, Object> context = new HashMap<>();
      context.put(Transport.CONTEXT_KEY, Transport.TCP_IP);
      context.put(ClientConnectionFactory.CONTEXT_KEY, target.tls() ? tlsFactory : plainFactory);
      context.put(FingerClientConnectionFactory.STREAM_CONTEXT_KEY, stream);
      context.put(ClientConnector.CONNECTION_PROMISE_CONTEXT_KEY, Promise.<Connection>from(
          connection -> { },
          failure -> stream.fail(StreamException.internal("Cannot connect to " + target, failure))));
      connector.connect(address, context);
    } catch (Throwable x) {
      stream.fail(StreamException.internal("Cannot connect to " + target, x));
    }
  }

  /** Streams opened and not yet finished; for metrics and tests. */
  public int openStreams() {
    return streams.size();
  }

  /** The name used for threads and logs. */
  public String name() {
    return name;
  }

  /**
   * Reports {@code INTERNAL} errors to the streams still open, closes their sockets and stops the
   * threads. Idempotent; never throws.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (FingerClientStream stream : new ArrayList<>(streams)) {
      stream.fail(StreamException.internal("Finger client " + name + " closed", null));
    }
    try {
      connector.stop();
    } catch (Exception e) {
      LOG.warn("Stopping finger client {} failed", name, e);
    }
  }

  @Override
  public String toString() {
    return "FingerClient[" + name + "]";
  }

  /** Configures a {@link FingerClient}; not thread-safe, use from one thread. */
  public static final class Builder {
    private String name = "finger-client";
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private int bufferBytes = DEFAULT_BUFFER_BYTES;
    private SslContextFactory.Client sslContextFactory;

    private Builder() {}

    /** Name of the thread pool and log lines; default {@code finger-client}. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Time from {@link FingerClient#open} until the request is sent: resolving, connecting and the
     * TLS handshake; default {@link FingerClient#DEFAULT_CONNECT_TIMEOUT}.
     */
    public Builder connectTimeout(Duration connectTimeout) {
      if (connectTimeout.isNegative() || connectTimeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
      }
      this.connectTimeout = connectTimeout;
      return this;
    }

    /**
     * Read buffer per stream, in bytes, between {@link FingerClient#MIN_BUFFER_BYTES} and {@link
     * FingerClient#MAX_BUFFER_BYTES}; default {@link FingerClient#DEFAULT_BUFFER_BYTES}.
     */
    public Builder bufferBytes(int bufferBytes) {
      if (bufferBytes < MIN_BUFFER_BYTES || bufferBytes > MAX_BUFFER_BYTES) {
        throw new IllegalArgumentException("bufferBytes must be between " + MIN_BUFFER_BYTES + " and "
            + MAX_BUFFER_BYTES + ": " + bufferBytes);
      }
      this.bufferBytes = bufferBytes;
      return this;
    }

    /** TLS settings for targets with {@code tls()}; null (the default) for plain finger only. */
    public Builder sslContextFactory(SslContextFactory.Client sslContextFactory) {
      this.sslContextFactory = sslContextFactory;
      return this;
    }

    public FingerClient build() {
      return new FingerClient(this);
    }
  }
}
