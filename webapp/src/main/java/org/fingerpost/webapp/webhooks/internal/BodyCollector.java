package org.fingerpost.webapp.webhooks.internal;

import java.util.Arrays;
import org.eclipse.jetty.io.Content;

/**
 * Reads a request body into one array of at most {@code max} bytes ({@code webhooks.max_body_bytes});
 * one byte more is a 413 and the rest is not read. Sized by the declared length when there is one,
 * else grown from {@value #INITIAL_BYTES} bytes by doubling. Reads what has arrived on the calling
 * thread and asks the source for more ({@code demand}) as a blocking task, so that the end of a body
 * that came in several reads, a large one above all, is handled on a pool thread, never on a selector.
 * The one body reader of both front ends: the core handler's request, and the servlet's input stream
 * as a (blocking) source. Calls its {@link Done} exactly once. Not thread-safe: Jetty runs one read
 * loop at a time.
 */
final class BodyCollector implements Runnable {
  /** First buffer for a body without {@code Content-Length}, in bytes. */
  static final int INITIAL_BYTES = 16 * 1024;

  /** What becomes of the body: its bytes {@code [0, length)}, or a refusal (then no bytes). */
  interface Done {
    void body(byte[] bytes, int length, Refusal refusal);
  }

  private final Content.Source source;
  private final long max;
  private final Done done;
  private byte[] buffer;
  private int length;

  /**
   * @param declared the declared length, -1 when unknown (already checked against {@code max})
   * @param max {@code webhooks.max_body_bytes}
   */
  BodyCollector(Content.Source source, long declared, long max, Done done) {
    this.source = source;
    this.max = max;
    this.done = done;
    this.buffer = new byte[(int) Math.min(max, declared >= 0 ? declared : INITIAL_BYTES)];
  }

  @Override
  public void run() {
    while (true) {
      Content.Chunk chunk = source.read();
      if (chunk == null) {
        source.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        done.body(null, 0, Refusal.unreadable());
        return;
      }
      boolean fits = append(chunk);
      chunk.release();
      if (!fits) {
        done.body(null, 0, Refusal.tooLarge(max));
        return;
      }
      if (chunk.isLast()) {
        done.body(buffer, length, null);
        return;
      }
    }
  }

  /** Copies the chunk's bytes; false when the body would exceed {@code max}. */
  private boolean append(Content.Chunk chunk) {
    int n = chunk.remaining();
    if (length + (long) n > max) {
      return false;
    }
    if (length + n > buffer.length) {
      buffer = Arrays.copyOf(buffer, (int) Math.min(max, Math.max(length + (long) n, buffer.length * 2L)));
    }
    chunk.getByteBuffer().get(buffer, length, n);
    length += n;
    return true;
  }
}
