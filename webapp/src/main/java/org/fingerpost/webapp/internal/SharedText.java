package org.fingerpost.webapp.internal;

import java.nio.charset.StandardCharsets;

/**
 * A piece of decoded log text that several websockets' send queues may hold at once (one decoding of
 * a shared chunk, see {@link SharedDecoding}), with the log bytes it stands for. The {@link
 * SendBudget} counts its bytes once, while at least one queue holds it.
 *
 * <p><b>Threads.</b> Immutable text; the holder count and the UTF-8 of the parts are guarded by
 * {@code this}.
 */
final class SharedText {
  /** The empty text of a chunk that only completed nothing (its bytes are carried). */
  static final SharedText NONE = new SharedText("", 0);

  private final long bytes;
  /**
   * The text cut into messages of at most {@link TextQueue#MAX_MESSAGE_CHARS}, once rather than per
   * websocket; usually one part, the whole text.
   */
  private final String[] parts;
  private int holders;
  /** The UTF-8 of each part, encoded by the first websocket that sends it; guarded by {@code this}. */
  private byte[][] utf8;

  /** @param bytes the log bytes the text stands for (0 for text that counts no bytes) */
  SharedText(String text, long bytes) {
    this.bytes = bytes;
    this.parts = split(text, TextQueue.MAX_MESSAGE_CHARS);
  }

  /** The whole text (joined again when it was cut). */
  String text() {
    return parts.length == 1 ? parts[0] : String.join("", parts);
  }

  boolean isEmpty() {
    return parts[0].isEmpty();
  }

  /** The text as messages of at most {@link TextQueue#MAX_MESSAGE_CHARS}, never inside a surrogate pair. */
  String[] parts() {
    return parts;
  }

  static String[] split(String text, int maxChars) {
    if (text.length() <= maxChars) {
      return new String[] {text};
    }
    java.util.List<String> parts = new java.util.ArrayList<>(text.length() / maxChars + 1);
    int from = 0;
    while (from < text.length()) {
      int to = Math.min(text.length(), from + maxChars);
      if (to < text.length() && Character.isHighSurrogate(text.charAt(to - 1))) {
        to--; // never split a surrogate pair across messages
      }
      parts.add(text.substring(from, to));
      from = to;
    }
    return parts.toArray(new String[0]);
  }

  long bytes() {
    return bytes;
  }

  /**
   * The UTF-8 of {@code part} when it is one of {@link #parts()} (the same string), encoded once for
   * all the websockets that send it while any of them holds the text; null for any other text. Never
   * modify the array.
   */
  synchronized byte[] utf8(String part) {
    for (int i = 0; i < parts.length; i++) {
      if (parts[i] == part) {
        if (holders == 0) {
          return part.getBytes(StandardCharsets.UTF_8); // released meanwhile: keep nothing
        }
        if (utf8 == null) {
          utf8 = new byte[parts.length][];
        }
        if (utf8[i] == null) {
          utf8[i] = part.getBytes(StandardCharsets.UTF_8);
        }
        return utf8[i];
      }
    }
    return null;
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
      if (last) {
        utf8 = null; // kept only while a queue holds the text, so the budget bounds it too
      }
    }
    if (last) {
      budget.release(bytes);
    }
  }
}
