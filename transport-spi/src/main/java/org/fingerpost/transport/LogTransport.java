package org.fingerpost.transport;

/**
 * Opens live build-log streams to one kind of target (plain finger, TLS, a relay, a plugin's own).
 *
 * <p><b>Discovery.</b> Implementations are public classes with a public no-argument constructor,
 * listed in {@code META-INF/services/org.fingerpost.transport.LogTransport}. One instance serves a
 * whole daemon: {@link #start} is called once before the first {@link #open}, {@link #close} once at
 * shutdown.
 *
 * <p><b>Selection.</b> For each stream the daemon resolves a {@link StreamTarget} from the registry and
 * asks every transport whether it {@link #supports} it; among those that do, the one with the highest
 * {@link #priority()} opens the stream (ties are broken by {@link #name()}). Built-in transports have
 * priority {@link #BUILT_IN_PRIORITY}; a plugin that wants to take over targets a built-in also
 * supports returns more.
 *
 * <p><b>Threads.</b> All methods may be called from any thread, concurrently: implementations are
 * thread-safe. {@link #open} must not block on the network: it starts the connection and returns; the
 * bytes then reach the sink from the transport's own threads (see {@link LogSink} for the ordering and
 * backpressure rules).
 *
 * <p><b>Errors.</b> A failure to reach the target, before or after bytes flowed, is reported once
 * through {@link LogSink#onError} with a {@link StreamException} whose {@link
 * StreamException#wireMessage()} is what the end user sees. An error text sent by the upstream itself
 * (for example {@code Build ID 1234 not found}) is log data: pass it through {@link LogSink#onData}
 * unchanged.
 */
public interface LogTransport extends AutoCloseable {

  /**
   * The version of this SPI (the types of package {@code org.fingerpost.transport}), logged by {@link
   * Transports} at start. It grows by one with every change that can break a plugin compiled against
   * the previous version; see the compatibility policy in the package documentation.
   */
  int SPI_VERSION = 1;

  /** Priority of the transports shipped with Fingerpost. */
  int BUILT_IN_PRIORITY = 0;

  /** A short stable name used in logs, metrics and settings, for example {@code finger} or {@code tls}. */
  String name();

  /** Whether this transport can open streams to {@code target}. Must be cheap and side-effect free. */
  boolean supports(StreamTarget target);

  /** Precedence among the transports that support a target; higher wins. */
  default int priority() {
    return BUILT_IN_PRIORITY;
  }

  /**
   * Prepares the transport (thread pools, TLS contexts) from the daemon's settings. Called once, before
   * any {@link #open}, from the thread that loads the daemon's transports.
   *
   * <p>{@code context} opens streams through the daemon's <em>other</em> transports (see {@link
   * TransportContext}); a transport that delegates hops (as {@code relay} does) keeps it, the others
   * ignore it. It is valid until the daemon closes its transports; a stream opened through it while
   * the daemon's transports are still starting fails with an {@code INTERNAL} error. The default does
   * nothing.
   *
   * @param settings the daemon's settings; never null ({@link TransportSettings#EMPTY} when none)
   * @param context the other transports; never null ({@link TransportContext#NONE} when there are none)
   * @throws Exception when the settings are unusable; the daemon then reports the transport as broken
   *     and does not select it
   */
  default void start(TransportSettings settings, TransportContext context) throws Exception {}

  /**
   * Starts streaming the log of {@code target.buildId()} into {@code sink} and returns at once.
   *
   * <p>The caller owns the returned stream and closes it when its own client goes away; the transport
   * then frees the upstream connection promptly (within a second) and stops calling the sink.
   *
   * @return a handle to cancel the stream; never null. Even when the connection fails at once, the
   *     failure is reported through the sink, not thrown.
   */
  LogStream open(StreamTarget target, LogSink sink);

  /** Releases what {@link #start} acquired. Streams still open are closed. */
  @Override
  default void close() {}
}
