package org.fingerpost.streams.internal;

import java.nio.ByteBuffer;
import org.fingerpost.transport.ForwardingLogSink;
import org.fingerpost.transport.LogSink;

/**
 * Drops the first {@code skip} bytes of a stream and passes the rest on: how a client's start offset
 * is honoured over an upstream that streams from byte 0 (correct, just less efficient than asking a
 * peer that advertises the {@code offset} capability). Same threading as the sink it wraps.
 */
public final class SkippingSink extends ForwardingLogSink {
  /** Touched only by the (serial) sink calls. */
  private long skip;

  public SkippingSink(LogSink delegate, long skip) {
    super(delegate);
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
    super.onData(chunk, next);
  }
}
