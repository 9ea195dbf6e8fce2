package org.fingerpost.streams.internal;

import java.nio.ByteBuffer;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.StreamException;

/**
 * Drops the first {@code skip} bytes of a stream and passes the rest on: how a client's start offset
 * is honoured over an upstream that streams from byte 0 (correct, just less efficient than asking a
 * peer that advertises the {@code offset} capability). Same threading as the sink it wraps.
 */
public final class SkippingSink implements LogSink {
  private final LogSink delegate;
  /** Touched only by the (serial) sink calls. */
  private long skip;

  public SkippingSink(LogSink delegate, long skip) {
    this.delegate = delegate;
    this.skip = skip;
  }

  @Override
  public void onData(ByteBuffer chunk, Runnable next) {
    if (skip > 0) {
      int drop = (int) Math.min(skip, chunk.remaining());
      chunk.position(chunk.position() + drop);
      skip -= drop;
      if (!chunk.hasRemaining()) {
        next.run();
        return;
      }
    }
    delegate.onData(chunk, next);
  }

  @Override
  public void onEnd() {
    delegate.onEnd();
  }

  @Override
  public void onError(StreamException error) {
    delegate.onError(error);
  }
}
