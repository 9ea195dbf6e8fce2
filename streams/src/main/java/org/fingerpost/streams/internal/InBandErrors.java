package org.fingerpost.streams.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.fingerpost.transport.StreamException;

/**
 * The error texts finger peers send in the stream itself, then close (docs/design.md 3.1): a gateway's
 * {@code Internal streaming error} after some of the log, and the answers of a streamer or gateway that
 * no longer has the build. Which chunk may be one is decided here; {@link InBandErrorGuard} holds such a
 * chunk back until the connection closes. Stateless.
 */
final class InBandErrors {
  /** A gateway's mid-stream error text, possibly after log bytes in the same chunk. */
  static final byte[] INTERNAL = StreamException.Kind.INTERNAL.wireMessage().getBytes(StandardCharsets.US_ASCII);
  /** Longest whole-chunk answer looked at (a build id is 32 hex digits; room for longer ones). */
  static final int MAX_ANSWER_BYTES = 256;
  /** The peer no longer has the build's log: the log has ended at its source. */
  private static final Pattern GONE = Pattern.compile(
      "Build ID [0-9A-Fa-f]+ not found|Log not found for build ID [0-9A-Fa-f]+|Build not found");
  /** The peer could not serve it for another reason. */
  private static final Pattern FAILED = Pattern.compile(
      "Build ID \\S+ is not valid|Build did not start yet|Internal streaming error");

  /**
   * A peer's refusal before any log byte (hop limit, lookup rate, connection limits): final, passed on
   * to the client as it is, never resumed (a loop of gateways would otherwise be asked again forever).
   */
  private static final Pattern REFUSED = Pattern.compile("Too many hops|Too many requests|Too many connections");

  private InBandErrors() {}

  /**
   * Where a recognised error text starts in the chunk's remaining bytes, or -1.
   *
   * @param wholeAnswers whether the chunk may be a peer's whole answer (asked for an offset, or a resume)
   * @param first whether it is the first chunk of its connection (a refusal can only be that)
   */
  static int errorStart(ByteBuffer chunk, boolean wholeAnswers, boolean first) {
    int n = chunk.remaining();
    if (n <= MAX_ANSWER_BYTES && (wholeAnswers || first)) {
      String text = text(chunk);
      if ((wholeAnswers && classify(text) != null) || (first && refusal(text))) {
        return 0;
      }
    }
    if (n < INTERNAL.length) {
      return -1;
    }
    int from = chunk.position() + n - INTERNAL.length;
    for (int i = 0; i < INTERNAL.length; i++) {
      if (chunk.get(from + i) != INTERNAL[i]) {
        return -1;
      }
    }
    return n - INTERNAL.length;
  }

  /** True: the text says the log is gone; false: another error; null: not an error text. */
  static Boolean classify(String text) {
    if (GONE.matcher(text).matches()) {
      return Boolean.TRUE;
    }
    return FAILED.matcher(text).matches() ? Boolean.FALSE : null;
  }

  /** Whether the text is a peer's refusal ({@link #REFUSED}). */
  static boolean refusal(String text) {
    return REFUSED.matcher(text).matches();
  }

  private static String text(ByteBuffer chunk) {
    byte[] b = new byte[chunk.remaining()];
    chunk.duplicate().get(b);
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** A peer's refusal: the client gets the same text ({@link #wireMessage()}), and no resume is tried. */
  static final class Refusal extends StreamException {
    private static final long serialVersionUID = 1L;
    private final String text;

    Refusal(String text) {
      super(Kind.INTERNAL, "Upstream refused: " + text);
      this.text = text;
    }

    @Override
    public String wireMessage() {
      return text;
    }
  }

  /** An error text the upstream sent in the stream, taken out of it. */
  static final class Error extends StreamException {
    private static final long serialVersionUID = 1L;
    private final boolean gone;

    Error(String text, boolean gone) {
      super(Kind.INTERNAL, "Upstream sent its error in the stream: " + text);
      this.gone = gone;
    }

    /** Whether the upstream said it no longer has the build's log. */
    boolean gone() {
      return gone;
    }
  }
}
