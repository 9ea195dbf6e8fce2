package org.fingerpost.bench.soak;

/**
 * Checks one client's view of one build, line by line, against the build's expected text (see
 * {@link BuildLog#line}), across all the connections the client makes.
 *
 * <p>{@link #position()} is the log offset after the last complete, verified line. A received line
 * equal to the next expected one advances it; a line equal to an earlier one counts as duplicated
 * bytes; a line equal to a later one counts the skipped lines as lost (and advances); anything else
 * counts as corrupted (and stands for the expected line). What a client still lacks at the end is
 * counted lost by {@link #finish}.
 *
 * <p>At the end of a connection the bytes after the last newline may be the start of the next line,
 * followed by one of the protocol's error texts (finger writes its error as plain text before it
 * closes); only such a tail is accepted, anything else in it is corrupted.
 *
 * <p>Threads: one connection thread or websocket listener at a time feeds it (calls are sequential);
 * the counters and position are read by other threads.
 */
final class StreamCheck {
  /** Longest failure message accepted at the end of a finger connection, characters. */
  static final int MAX_MESSAGE = 200;

  /** At most this many corrupted lines are kept as samples for the report. */
  private static final int MAX_SAMPLES = 5;
  private static final java.util.Queue<String> SAMPLES = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private static final java.util.Queue<String> DUPLICATE_SAMPLES = new java.util.concurrent.ConcurrentLinkedQueue<>();

  private final BuildLog log;
  private final StringBuilder partial = new StringBuilder();
  private long nextSeq;
  private volatile long position;
  private volatile long lost;
  private volatile long duplicated;
  private volatile long corrupted;
  private volatile long lastProgressNanos = System.nanoTime();
  /** Characters received on the current connection, and connections so far: where a duplicate starts. */
  private long sinceConnect;
  private int connections;
  private boolean inDuplicate;

  StreamCheck(BuildLog log) {
    this.log = log;
  }

  BuildLog log() {
    return log;
  }

  /** Takes received text (ASCII bytes as characters). */
  void accept(CharSequence text) {
    sinceConnect += text.length();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      partial.append(c);
      if (c == '\n') {
        line(partial.toString());
        partial.setLength(0);
      }
    }
  }

  private void line(String got) {
    String want = log.line(nextSeq);
    if (got.equals(want)) {
      advance(got.length());
      return;
    }
    long seq = BuildLog.seqOf(got);
    if (seq >= 0 && seq < nextSeq && got.equals(log.line(seq))) {
      duplicated += got.length();
      if (!inDuplicate && DUPLICATE_SAMPLES.size() < MAX_SAMPLES) {
        DUPLICATE_SAMPLES.add(String.format("build %d: line %d again where line %d was due (byte %d), %d chars"
            + " into connection %d (%s)", log.index, seq, nextSeq, position, sinceConnect, connections,
            Viewer.Events.currentPhase()));
      }
      inDuplicate = true;
      return;
    }
    inDuplicate = false;
    if (seq > nextSeq && seq - nextSeq < 1_000_000 && got.equals(log.line(seq))) {
      long gap = 0;
      for (long s = nextSeq; s < seq; s++) {
        gap += log.line(s).length();
      }
      lost += gap;
      position += gap;
      nextSeq = seq;
      advance(got.length());
      return;
    }
    corrupted += got.length();
    sample("line " + nextSeq + " of build " + log.index + " at byte " + position, got, want);
    advance(want.length());
  }

  private static void sample(String where, String got, String want) {
    if (SAMPLES.size() < MAX_SAMPLES) {
      SAMPLES.add(String.format("%s (%s): got \"%s\", expected \"%s\"", where, Viewer.Events.currentPhase(),
          escape(got), escape(want)));
    }
  }

  private static String escape(String s) {
    String t = s.length() > 160 ? s.substring(0, 160) + "..." : s;
    return t.replace("\n", "\\n").replace("\r", "\\r");
  }

  /** Samples of the corrupted lines (at most {@value #MAX_SAMPLES}), for the report. */
  static java.util.List<String> samples() {
    return java.util.List.copyOf(SAMPLES);
  }

  /** Where the first duplicated lines of a run arrived (at most {@value #MAX_SAMPLES}), for the report. */
  static java.util.List<String> duplicateSamples() {
    return java.util.List.copyOf(DUPLICATE_SAMPLES);
  }

  private void advance(int bytes) {
    inDuplicate = false;
    position += bytes;
    nextSeq++;
    lastProgressNanos = System.nanoTime();
  }

  /**
   * The connection ended (finger): checks the tail after the last complete line and drops it, so the
   * next connection resumes at {@link #position()}. The tail must be the start of the next line,
   * optionally followed by a message (finger's failure form: plain text without a newline, at most
   * {@value #MAX_MESSAGE} characters, e.g. {@code Internal streaming error} or a limit's refusal).
   * Returns that message, "" when none (a close without a word), or null when the tail was not
   * acceptable (counted corrupted).
   */
  String endOfFingerConnection() {
    String tail = partial.toString();
    partial.setLength(0);
    String want = log.line(nextSeq);
    int k = 0;
    while (k < tail.length() && k < want.length() - 1 && tail.charAt(k) == want.charAt(k)) {
      k++;
    }
    String message = tail.substring(k);
    if (message.length() <= MAX_MESSAGE && message.indexOf('\n') < 0) {
      return message;
    }
    corrupted += tail.length();
    sample("finger tail of build " + log.index + " at byte " + position, tail, want);
    return null;
  }

  /**
   * The connection ended (websocket, whose errors come in the close frame): the tail must be the
   * start of the next line; it is kept and the next connection resumes after it.
   */
  void endOfWebsocketConnection() {
    if (!log.line(nextSeq).startsWith(partial.toString())) {
      corrupted += partial.length();
      sample("websocket tail of build " + log.index + " at byte " + position, partial.toString(), log.line(nextSeq));
      partial.setLength(0);
    }
  }

  /** Offset after the last complete verified line. */
  long position() {
    return position;
  }

  /** Offset of the next byte a websocket asks for: the position plus the kept tail. */
  long resumeOffset() {
    return position + partial.length();
  }

  /** A new connection: the stall clock counts from now. */
  void connected() {
    lastProgressNanos = System.nanoTime();
    sinceConnect = 0;
    connections++;
  }

  long nanosSinceProgress() {
    return System.nanoTime() - lastProgressNanos;
  }

  /** Called once after the last connection: what the client still lacks is lost. */
  void finish(long finalSize) {
    if (position < finalSize) {
      lost += finalSize - position;
    }
  }

  long lost() {
    return lost;
  }

  long duplicated() {
    return duplicated;
  }

  long corrupted() {
    return corrupted;
  }
}
