package org.fingerpost.transport;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link LogSink} that passes every call on to a delegate: the base of sinks that change one thing
 * about a stream (count it, skip its first bytes, log its failure) and leave the rest alone. By
 * default {@link #onData}, {@link #onEnd} and {@link #onError} forward their arguments unchanged;
 * a subclass overrides what it changes and calls {@code super} to forward.
 *
 * <p><b>Contract for subclasses.</b> The delegate must still see a valid {@link LogSink} sequence:
 * calls serial, then exactly one {@code onEnd} or {@code onError}. An {@code onData} override either
 * forwards the chunk with {@code next} (or with a wrapper that runs {@code next} exactly once), or
 * consumes the chunk itself and then runs {@code next} itself; never both, never neither, or the
 * transport stalls. An {@code onEnd} or {@code onError} override forwards exactly one of the two
 * (it may turn one into the other).
 *
 * <p><b>Threads.</b> Forwarding happens synchronously on the calling (transport) thread. This class
 * keeps no state of its own; a subclass's state is touched only by the serial sink calls unless it
 * says otherwise, and it must not block, as any sink.
 *
 * <p><b>Ownership.</b> The delegate is not owned: it is never closed or released here. The chunk
 * stays the transport's, as {@link LogSink} says; a subclass that forwards it does not keep it.
 *
 * <p><b>Errors.</b> Nothing is caught: an exception thrown by the delegate reaches the transport
 * that called this sink, as it would had the transport called the delegate directly.
 */
public abstract class ForwardingLogSink implements LogSink {
  private final LogSink delegate;

  /** @throws NullPointerException if {@code delegate} is null */
  protected ForwardingLogSink(LogSink delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** The sink every call is forwarded to. */
  protected final LogSink delegate() {
    return delegate;
  }

  /** Forwards {@code chunk} and {@code next} unchanged. */
  @Override
  public void onData(ByteBuffer chunk, Runnable next) {
    delegate.onData(chunk, next);
  }

  /** Forwards the end unchanged. */
  @Override
  public void onEnd() {
    delegate.onEnd();
  }

  /** Forwards {@code error} unchanged. */
  @Override
  public void onError(StreamException error) {
    delegate.onError(error);
  }
}
