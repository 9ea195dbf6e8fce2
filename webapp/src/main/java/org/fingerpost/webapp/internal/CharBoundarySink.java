package org.fingerpost.webapp.internal;

import java.nio.ByteBuffer;
import org.fingerpost.transport.ForwardingLogSink;
import org.fingerpost.transport.LogSink;

/**
 * For a stream resumed at a byte offset: drops UTF-8 continuation bytes ({@code 10xxxxxx}, at most
 * {@value #MAX_CONTINUATION_BYTES}) at its very start, so that an offset inside a multi-byte
 * character resumes at the next whole character instead of showing a replacement character. Same
 * threading as the wrapped sink.
 */
final class CharBoundarySink extends ForwardingLogSink {
  /** A UTF-8 character has at most three bytes after its first. */
  static final int MAX_CONTINUATION_BYTES = 3;

  /** Touched only by the (serial) sink calls. */
  private int checked;

  CharBoundarySink(LogSink delegate) {
    super(delegate);
  }

  @Override
  public void onData(ByteBuffer chunk, Runnable next) {
    while (checked < MAX_CONTINUATION_BYTES && chunk.hasRemaining()) {
      if ((chunk.get(chunk.position()) & 0xC0) != 0x80) {
        checked = MAX_CONTINUATION_BYTES;
        break;
      }
      chunk.position(chunk.position() + 1);
      checked++;
    }
    if (!chunk.hasRemaining()) {
      next.run();
      return;
    }
    super.onData(chunk, next);
  }
}
