package org.fingerpost.webapp.internal;

import jakarta.websocket.CloseReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The decoded text of one console-stream websocket waiting to be sent, and the close that ends it:
 * taken as text messages of at most {@link #MAX_MESSAGE_CHARS} (small queued pieces merged, a larger
 * piece split, never inside a surrogate pair), with the log bytes each piece stands for counted until it is
 * sent; that count is what {@link ConsoleStream}'s backpressure compares with {@code
 * send_buffer_bytes}. Pieces are {@link SharedText}s, often held by other websockets' queues too:
 * each is held in the node's {@link SendBudget} from when it is queued until its message was sent
 * or the queue cleared.
 *
 * <p><b>Threads.</b> Not thread-safe: used under its {@link ConsoleStream}'s lock.
 */
final class TextQueue {
  /**
   * Largest text message sent, in chars: queued text is merged up to it and larger text split, so a
   * message stays under 64 KiB of UTF-8, the default limit of common websocket clients.
   */
  static final int MAX_MESSAGE_CHARS = 16 * 1024;
  /**
   * A piece of at least this many chars goes as its own message, so that a shared piece is sent as the
   * one string all viewers hold instead of being copied into a merged message per viewer.
   */
  static final int MERGE_BELOW_CHARS = 4 * 1024;

  /**
   * One message to send and the log bytes it accounts for; {@code whole} is the shared piece whose part
   * the text is, as it is (null for merged text), so that its UTF-8 can be encoded once for every
   * websocket that sends it ({@link #utf8()}).
   */
  record Message(String text, long bytes, SharedText whole) {
    Message(String text, long bytes) {
      this(text, bytes, null);
    }

    /** The text's UTF-8, encoded once per shared piece where it can be, else here. */
    byte[] utf8() {
      byte[] shared = whole == null ? null : whole.utf8(text);
      return shared != null ? shared : text.getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * Text to send standing for {@code bytes} log bytes, with the piece it ends (held until sent; null for
   * a part before a piece's last) and the piece it is part of ({@code whole}, for its UTF-8), or the
   * close that ends the queue.
   */
  private record Item(String text, long bytes, SharedText piece, SharedText whole, CloseReason close) {}

  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private final SendBudget budget;
  /** The pieces of the message being sent: held until it is sent. */
  private final List<SharedText> inFlight = new ArrayList<>();
  private long queuedBytes;
  /** Set by {@link #clear()}: the websocket is closing, and the budget no longer counts anything here. */
  private boolean cleared;

  /** A queue outside any node's budget. */
  TextQueue() {
    this(SendBudget.unlimited());
  }

  TextQueue(SendBudget budget) {
    this.budget = budget;
  }

  /** Queues {@code text}, standing for {@code bytes} log bytes (0 for text that counts no bytes). */
  void addText(String text, long bytes) {
    addShared(new SharedText(text, bytes));
  }

  /** Queues a piece of text other queues may hold too. */
  void addShared(SharedText piece) {
    if (cleared) {
      return; // closing: nothing is sent any more
    }
    piece.hold(budget);
    String[] parts = piece.parts();
    for (int i = 0; i < parts.length - 1; i++) {
      queue.add(new Item(parts[i], 0, null, piece, null));
    }
    // The piece's bytes count as queued, and it is held, until its last part is sent.
    queue.add(new Item(parts[parts.length - 1], piece.bytes(), piece, piece, null));
    queuedBytes += piece.bytes();
  }

  /** Queues the close that ends the stream after the text before it. */
  void addClose(CloseReason close) {
    queue.add(new Item(null, 0, null, null, close));
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

  /** The message taken last, of {@code bytes}, was sent: they no longer count as queued. */
  void sent(long bytes) {
    if (cleared) {
      return; // a send completing after the close: nothing counts any more
    }
    queuedBytes -= bytes;
    releaseInFlight();
  }

  /** Drops everything (the websocket is closing), the message being sent included. */
  void clear() {
    for (Item item : queue) {
      if (item.piece() != null) {
        item.piece().release(budget);
      }
    }
    queue.clear();
    releaseInFlight();
    queuedBytes = 0;
    cleared = true;
  }

  private void take(Item item) {
    if (item.piece() != null) {
      inFlight.add(item.piece());
    }
  }

  private void releaseInFlight() {
    inFlight.forEach(p -> p.release(budget));
    inFlight.clear();
  }

  /**
   * Takes queued text, up to {@link #MAX_MESSAGE_CHARS}, as one message; text is next. A piece that
   * fits goes as it is when it is alone or large (the usual cases of a live log and of catching up);
   * only small pieces are copied into one.
   */
  Message takeMessage() {
    Item head = queue.peek();
    if (head.text().length() <= MAX_MESSAGE_CHARS
        && (queue.size() == 1 || head.text().length() >= MERGE_BELOW_CHARS)) {
      queue.poll();
      take(head);
      return new Message(head.text(), head.bytes(), head.whole());
    }
    long bytes = 0;
    StringBuilder merged = new StringBuilder();
    while (!queue.isEmpty() && queue.peek().text() != null && merged.length() < MAX_MESSAGE_CHARS) {
      Item item = queue.peek();
      if (merged.length() > 0 && item.text().length() >= MERGE_BELOW_CHARS) {
        break; // a large piece goes next, as it is
      }
      int room = MAX_MESSAGE_CHARS - merged.length();
      if (item.text().length() <= room) {
        merged.append(item.text());
        bytes += item.bytes();
        take(item);
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
      // The rest keeps the piece: its bytes count as queued, and it is held, until its last part is sent.
      queue.addFirst(new Item(item.text().substring(cut), item.bytes(), item.piece(), null, null));
      break;
    }
    return new Message(merged.toString(), bytes);
  }
}
