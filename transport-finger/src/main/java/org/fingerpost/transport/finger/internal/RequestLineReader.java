package org.fingerpost.transport.finger.internal;

import java.nio.ByteBuffer;
import org.eclipse.jetty.util.BufferUtil;

/**
 * The request line of one finger connection as it arrives in any number of pieces: a buffer of at
 * most {@code maxLineBytes} that the endpoint fills, searched for the newline once per byte. After the
 * line the same buffer is scratch space for input that is read and discarded.
 *
 * <p><b>Threads.</b> Not thread-safe; used by the connection's {@code onFillable} only (Jetty calls it
 * on one thread at a time).
 */
final class RequestLineReader {
  private final int maxLineBytes;
  private final ByteBuffer input;
  /** How many bytes of {@code input} were already searched for the newline. */
  private int scanned;

  RequestLineReader(int maxLineBytes) {
    this.maxLineBytes = maxLineBytes;
    this.input = BufferUtil.allocate(maxLineBytes);
  }

  /** The buffer to fill (in flush mode, as Jetty's {@code EndPoint.fill} takes it). */
  ByteBuffer buffer() {
    return input;
  }

  /**
   * Looks for the newline in what was filled since the last call.
   *
   * @return the line without its newline (the buffer is then cleared), or null if it is not complete
   */
  byte[] scan() {
    int limit = input.limit();
    for (int i = input.position() + scanned; i < limit; i++) {
      if (input.get(i) == '\n') {
        byte[] line = new byte[i - input.position()];
        input.get(input.position(), line);
        clear();
        return line;
      }
    }
    scanned = input.remaining();
    return null;
  }

  /** Whether the buffer is full without a newline: the line is too long. */
  boolean full() {
    return input.remaining() >= maxLineBytes;
  }

  /** Empties the buffer (after the line, for input that is discarded). */
  void clear() {
    BufferUtil.clear(input);
    scanned = 0;
  }
}
