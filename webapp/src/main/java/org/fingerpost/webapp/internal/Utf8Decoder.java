package org.fingerpost.webapp.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes a byte stream as UTF-8 chunk by chunk: the bytes of a character split across chunks are
 * carried over to the next chunk, never replaced. Invalid bytes become U+FFFD. Not thread-safe (one
 * per stream; the stream's calls are serial).
 *
 * <p>The complete characters of each chunk are decoded by the JDK's {@code String} UTF-8 decoding
 * (one copy, vectorised for ASCII); only an incomplete last character waits for the next chunk, so
 * the result is the same as decoding the whole stream at once.
 */
public final class Utf8Decoder {
  /** A UTF-8 sequence is at most 4 bytes: an incomplete one leaves at most 3 behind. */
  private static final int MAX_CARRY = 3;
  private static final byte[] NO_CARRY = new byte[0];

  private final byte[] carry = new byte[MAX_CARRY];
  private int carried;

  /** Decodes and consumes {@code chunk}; returns the complete characters, keeps an incomplete tail. */
  public String decode(ByteBuffer chunk) {
    byte[] bytes;
    int from;
    int length;
    if (carried == 0 && chunk.hasArray()) {
      bytes = chunk.array();
      from = chunk.arrayOffset() + chunk.position();
      length = chunk.remaining();
    } else {
      bytes = Arrays.copyOf(carry, carried + chunk.remaining());
      chunk.duplicate().get(bytes, carried, chunk.remaining());
      from = 0;
      length = bytes.length;
    }
    chunk.position(chunk.limit());
    int complete = length - incompleteTail(bytes, from, length);
    carried = length - complete;
    System.arraycopy(bytes, from + complete, carry, 0, carried);
    return new String(bytes, from, complete, StandardCharsets.UTF_8);
  }

  /**
   * The bytes of an incomplete last character carried to the next chunk (0 to 3; a copy): with the
   * chunk, what decides its decoding, so a decoding shared by several streams is keyed by it.
   */
  public byte[] carry() {
    return carried == 0 ? NO_CARRY : Arrays.copyOf(carry, carried);
  }

  /** Continues as if the bytes before had left {@code carry} (from {@link #carry()}) behind. */
  public void restore(byte[] carry) {
    System.arraycopy(carry, 0, this.carry, 0, carry.length);
    carried = carry.length;
  }

  /** The end of the stream: an incomplete character left over becomes U+FFFD. */
  public String finish() {
    String rest = new String(carry, 0, carried, StandardCharsets.UTF_8);
    carried = 0;
    return rest;
  }

  /**
   * Bytes at the end of {@code bytes[from, from + length)} that start a character whose remaining
   * bytes have not arrived: a lead byte within the last 3 that announces more bytes than follow it.
   */
  private static int incompleteTail(byte[] bytes, int from, int length) {
    for (int back = 1; back <= Math.min(MAX_CARRY, length); back++) {
      int b = bytes[from + length - back] & 0xff;
      if ((b & 0xc0) == 0x80) {
        continue; // a continuation byte: look further back for its lead
      }
      return sequenceLength(b) > back ? back : 0;
    }
    return 0;
  }

  /** Bytes of the sequence a lead byte announces; 1 for ASCII and for bytes that cannot lead. */
  private static int sequenceLength(int lead) {
    if (lead >= 0xc2 && lead <= 0xdf) {
      return 2;
    }
    if (lead >= 0xe0 && lead <= 0xef) {
      return 3;
    }
    if (lead >= 0xf0 && lead <= 0xf4) {
      return 4;
    }
    return 1;
  }
}
