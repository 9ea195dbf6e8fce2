package org.fingerpost.streams.internal;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The start of a shared stream (byte 0 of the log, or a catch-up's first offset) kept for late joiners: every chunk while the log received so far fits
 * in {@code windowBytes}; once a chunk takes it past, the window is emptied for good (a late joiner
 * then cannot start at byte 0 from it) and only the byte count goes on.
 *
 * <p><b>Threads.</b> Not thread-safe: used under its shared upstream's lock. The chunks are the
 * upstream's copies, shared read-only with the viewer queues.
 */
public final class ReplayWindow {
  private final long windowBytes;
  /** The node's total of bytes held in windows, kept up to date by every window. */
  private final AtomicLong held;
  /** Bytes of the chunks kept now. */
  private long kept;
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private long received;
  /** False once the window no longer starts at byte 0. */
  private boolean fromZero = true;

  /**
   * @param windowBytes bytes kept at most; 0 keeps nothing
   * @param held a node-wide total this window adds its kept bytes to and takes them from again
   */
  public ReplayWindow(long windowBytes, AtomicLong held) {
    this.windowBytes = windowBytes;
    this.held = held;
  }

  /** Whether the window still holds the log from byte 0 (a late joiner can be replayed). */
  public boolean fromZero() {
    return fromZero;
  }

  /** Bytes counted so far (from the stream's first byte, whether kept or not). */
  public long received() {
    return received;
  }

  /** Whether a chunk of {@code bytes} would leave the window (or it has been left already). */
  public boolean pastAfter(int bytes) {
    return !fromZero || received + bytes > windowBytes;
  }

  /**
   * Counts a received chunk and keeps it while the log still fits; {@code copy} may be null only
   * for a chunk that takes the log past the window ({@link #pastAfter} true).
   */
  public void add(int bytes, byte[] copy) {
    received += bytes;
    if (!fromZero) {
      return;
    }
    if (received <= windowBytes) {
      chunks.add(copy);
      kept += bytes;
      held.addAndGet(bytes);
    } else {
      fromZero = false;
      clear();
    }
  }

  /** Hands the kept chunks to {@code to}, oldest first (none once past the window). */
  public void replay(Consumer<byte[]> to) {
    chunks.forEach(to);
  }

  /** Forgets the kept chunks (the stream finished). */
  public void clear() {
    chunks.clear();
    held.addAndGet(-kept);
    kept = 0;
  }
}
