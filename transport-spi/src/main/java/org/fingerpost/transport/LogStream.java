package org.fingerpost.transport;

/**
 * A stream opened by {@link LogTransport#open}; owned by whoever opened it.
 *
 * <p>{@link #close()} is idempotent, thread-safe and non-blocking: it cancels the stream and frees
 * the upstream connection. The sink gets no further callback once it returns, other than one already
 * under way.
 */
public interface LogStream extends AutoCloseable {

  /** A stream with nothing to cancel, for failures reported before any connection was made. */
  LogStream CLOSED = () -> {};

  @Override
  void close();
}
