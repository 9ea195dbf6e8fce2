package org.fingerpost.example.tcp;

import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.LogTransport;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.TransportContext;
import org.fingerpost.transport.TransportSettings;

/**
 * An example third-party transport, {@value #NAME}: streams a build's log over a plain TCP
 * connection with the JDK's asynchronous sockets, for executors that say so in their {@code
 * worker_info} ({@code "transport": "example-tcp"}). It sends the build id and a newline, then passes
 * every byte it receives to the sink until the peer closes the connection; a Fingerpost streamer or any
 * finger server answers that request, so the example can be tried against one.
 *
 * <p>What it shows a plugin author: claiming targets by an attribute ({@link #supports}), taking
 * precedence over the built-ins ({@link #priority}), reading a setting and acquiring threads in
 * {@link #start}, an {@link #open} that returns at once, backpressure (the next read starts only when
 * the sink runs {@code next}), failures as {@link StreamException}s, and releasing everything in
 * {@link #close}.
 *
 * <p>Settings: {@value #CONNECT_TIMEOUT_KEY}, milliseconds to connect (default 5000; the daemon fills
 * it from its {@code transports.connect_timeout_ms}).
 *
 * <p><b>Threads.</b> Thread-safe: one instance serves every stream of the daemon. Sink calls arrive on
 * this transport's I/O threads ({@code example-tcp-io-*}); host names are resolved on its timer
 * thread, never on the caller's. <b>Errors.</b> Anything that stops a stream before the peer closed
 * it normally reaches the sink once as an {@link StreamException.Kind#INTERNAL} error.
 */
public final class TcpExampleTransport implements LogTransport {
  /** The transport's name, and the {@code transport} attribute value it claims. */
  public static final String NAME = "example-tcp";
  /** The {@code worker_info} key naming the transport an executor wants. */
  public static final String TRANSPORT_ATTRIBUTE = "transport";
  /** Settings key: connect timeout in milliseconds. */
  public static final String CONNECT_TIMEOUT_KEY = "connect_timeout";
  /** Above {@link LogTransport#BUILT_IN_PRIORITY}, so that {@code finger} does not take these targets. */
  public static final int PRIORITY = BUILT_IN_PRIORITY + 10;

  private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private volatile AsynchronousChannelGroup group;
  private volatile ScheduledExecutorService timer;
  private volatile Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

  /** For {@link java.util.ServiceLoader}: a public class with a public no-argument constructor. */
  public TcpExampleTransport() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int priority() {
    return PRIORITY;
  }

  @Override
  public boolean supports(StreamTarget target) {
    return !target.tls() && NAME.equals(target.attributes().get(TRANSPORT_ATTRIBUTE));
  }

  @Override
  public synchronized void start(TransportSettings settings, TransportContext context) throws IOException {
    if (group != null) {
      throw new IllegalStateException(NAME + " transport already started");
    }
    connectTimeout = settings.getMillis(CONNECT_TIMEOUT_KEY, DEFAULT_CONNECT_TIMEOUT);
    timer = Executors.newSingleThreadScheduledExecutor(daemonThreads(NAME + "-timer"));
    group = AsynchronousChannelGroup.withFixedThreadPool(2, daemonThreads(NAME + "-io"));
  }

  @Override
  public LogStream open(StreamTarget target, LogSink sink) {
    AsynchronousChannelGroup g = group;
    if (g == null || g.isShutdown()) {
      sink.onError(StreamException.internal(NAME + " transport is not running", null));
      return LogStream.CLOSED;
    }
    AsynchronousSocketChannel channel;
    try {
      channel = AsynchronousSocketChannel.open(g);
    } catch (IOException e) {
      sink.onError(StreamException.internal("Cannot open a socket for " + target, e));
      return LogStream.CLOSED;
    }
    TcpStream stream = new TcpStream(channel, target, sink);
    stream.connect(timer, connectTimeout);
    return stream;
  }

  /** Closes every open stream (their sockets close with the group) and stops the threads. */
  @Override
  public synchronized void close() {
    if (group != null) {
      try {
        group.shutdownNow();
      } catch (IOException e) {
        // Closing anyway: nothing is left to release.
      }
      timer.shutdownNow();
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public String toString() {
    return "TcpExampleTransport";
  }
}
