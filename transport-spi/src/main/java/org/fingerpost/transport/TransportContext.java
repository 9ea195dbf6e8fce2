package org.fingerpost.transport;

/**
 * What a started {@link LogTransport} may use of the daemon it runs in: opening a stream through the
 * <em>other</em> transports, so that a transport can delegate a hop (for example the relay transport
 * hands each gateway hop to whichever transport supports plain finger or TLS targets).
 *
 * <p>Handed to {@link LogTransport#start(TransportSettings, TransportContext)}; valid until the
 * daemon closes its {@link Transports}. Thread-safe. A stream opened through it is owned by the
 * transport that opened it.
 */
public interface TransportContext {

  /** A context without other transports: every {@link #open} fails with an {@code INTERNAL} error. */
  TransportContext NONE = (target, sink) -> {
    sink.onError(StreamException.internal("No other transports available to open " + target, null));
    return LogStream.CLOSED;
  };

  /**
   * Opens {@code target} with the highest-priority transport that supports it, leaving out the
   * transport this context was handed to (so a transport never selects itself). Same contract as
   * {@link LogTransport#open}: returns at once, failures (including "no transport supports it") go
   * to {@code sink}.
   */
  LogStream open(StreamTarget target, LogSink sink);
}
