package org.fingerpost.webapp.internal;

import jakarta.websocket.CloseReason;
import java.util.ArrayDeque;

/**
 * The decoded text of one console-stream websocket waiting to be sent, and the close that ends it:
 * taken as text messages of at most {@link #MAX_MESSAGE_CHARS} (queued pieces merged, a larger piece
 * split, never inside a surrogate pair), with the log bytes each piece stands for counted until it is
 * sent; that count is what {@link ConsoleStream}'s backpressure compares with {@code
 * send_buffer_bytes}.
 *
 * <p><b>Threads.</b> Not thread-safe: used under its {@link ConsoleStream}'s lock.
 */
final class TextQueue {
  /**
   * Largest text message sent, in chars: queued text is merged up to it and larger text split, so a
   * message stays under 64 KiB of UTF-8, the default limit of common websocket clients.
   */
  static final int MAX_MESSAGE_CHARS = 16 * 1024;

  /** One message to send and the log bytes it accounts for. */
  record Message(String text, long bytes) {}

  /** A piece of text to send, or (text null) the close that ends the queue. */
  private record Item(String text, long bytes, CloseReason close) {}

  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private long queuedBytes;

  /** Queues {@code text}, standing for {@code bytes} log bytes (0 for text that counts no bytes). */
  void addText(String text, long bytes) {
    queue.add(new Item(text, bytes, null));
    queuedBytes += bytes;
  }

  /** Queues the close that ends the stream after the text before it. */
  void addClose(CloseReason close) {
    queue.add(new Item(null, 0, close));
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** The close, if it is next (and then taken); null when text is next. Not empty. */
  CloseReason takeClose() {
    if (queue.peek().close() == null) {
      return null;
    }
    return queue.poll().close();
  }

  /** Log bytes queued and not yet sent (including those of the message being sent). */
  long queuedBytes() {
    return queuedBytes;
  }

  /** A message of {@code bytes} was sent: they no longer count as queued. */
  void sent(long bytes) {
    queuedBytes -= bytes;
  }

  /** Drops everything (the websocket is closing). */
  void clear() {
    queue.clear();
  }

  /**
   * Takes queued text, up to {@link #MAX_MESSAGE_CHARS}, as one message; text is next. A lone piece
   * that fits (the usual case of a live log) goes as it is; only several are copied into one.
   */
  Message takeMessage() {
    if (queue.size() == 1 && queue.peek().text().length() <= MAX_MESSAGE_CHARS) {
      Item only = queue.poll();
      return new Message(only.text(), only.bytes());
    }
    long bytes = 0;
    StringBuilder merged = new StringBuilder();
    while (!queue.isEmpty() && queue.peek().text() != null && merged.length() < MAX_MESSAGE_CHARS) {
      Item item = queue.peek();
      int room = MAX_MESSAGE_CHARS - merged.length();
      if (item.text().length() <= room) {
        merged.append(item.text());
        bytes += item.bytes();
        queue.poll();
        continue;
      }
      int cut = room;
      if (Character.isHighSurrogate(item.text().charAt(cut - 1))) {
        cut--; // never split a surrogate pair across messages
      }
      if (cut == 0) {
        break;
      }
      merged.append(item.text(), 0, cut);
      queue.poll();
      // The rest keeps the item's bytes: they count as queued until its last part is sent.
      queue.addFirst(new Item(item.text().substring(cut), item.bytes(), null));
      break;
    }
    return new Message(merged.toString(), bytes);
  }
}
