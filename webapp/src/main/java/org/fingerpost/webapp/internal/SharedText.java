package org.fingerpost.webapp.internal;

/**
 * A piece of decoded log text that several websockets' send queues may hold at once (one decoding of
 * a shared chunk, see {@link SharedDecoding}), with the log bytes it stands for. The {@link
 * SendBudget} counts its bytes once, while at least one queue holds it.
 *
 * <p><b>Threads.</b> Immutable text; the holder count is guarded by {@code this}.
 */
final class SharedText {
  /** The empty text of a chunk that only completed nothing (its bytes are carried). */
  static final SharedText NONE = new SharedText("", 0);

  private final String text;
  private final long bytes;
  private int holders;

  /** @param bytes the log bytes the text stands for (0 for text that counts no bytes) */
  SharedText(String text, long bytes) {
    this.text = text;
    this.bytes = bytes;
  }

  String text() {
    return text;
  }

  long bytes() {
    return bytes;
  }

  /** One more queue holds the text: the budget counts it from the first. */
  void hold(SendBudget budget) {
    boolean first;
    synchronized (this) {
      first = holders++ == 0;
    }
    if (first) {
      budget.hold(bytes);
    }
  }

  /** A queue let go of the text (sent or dropped): the budget frees it after the last. */
  void release(SendBudget budget) {
    boolean last;
    synchronized (this) {
      last = --holders == 0;
    }
    if (last) {
      budget.release(bytes);
    }
  }
}
