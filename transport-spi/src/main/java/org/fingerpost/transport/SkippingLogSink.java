package org.fingerpost.transport;

import java.nio.ByteBuffer;

/**
 * Drops the first {@code skip} bytes of a stream and passes the rest on: how a transport keeps the
 * {@link StreamTarget#offset()} contract over a peer that streams from byte 0 (one whose registry
 * entry does not list {@link StreamTarget#OFFSET_CAPABILITY}, as Zuul's). A chunk dropped whole is
 * acknowledged here (its {@code next} runs at once); one dropped in part is forwarded from the first
 * byte kept, in the transport's own buffer.
 *
 * <p><b>Threads, ownership, errors:</b> as {@link ForwardingLogSink}; the count of bytes still to drop is
 * touched only by the serial sink calls.
 */
public class SkippingLogSink extends ForwardingLogSink {
  private long skip;

  /**
   * @param skip bytes to drop, at least 0
   * @throws IllegalArgumentException if {@code skip} is negative
   */
  public SkippingLogSink(LogSink delegate, long skip) {
    super(delegate);
    if (skip < 0) {
      throw new IllegalArgumentException("skip must be >= 0: " + skip);
    }
    this.skip = skip;
  }

  /** Drops nothing more from now on (for a subclass that recognises a chunk it must pass whole). */
  protected final void stopSkipping() {
    skip = 0;
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
