package org.fingerpost.webapp.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a byte stream as UTF-8 chunk by chunk: the bytes of a character split across chunks are
 * carried over to the next chunk, never replaced. Invalid bytes become U+FFFD. Not thread-safe (one
 * per stream; the stream's calls are serial).
 */
public final class Utf8Decoder {
  /** A UTF-8 sequence is at most 4 bytes: an incomplete one leaves at most 3 behind. */
  private static final int MAX_CARRY = 4;

  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE)
      .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final ByteBuffer carry = ByteBuffer.allocate(MAX_CARRY);

  /** Decodes and consumes {@code chunk}; returns the complete characters, keeps an incomplete tail. */
  public String decode(ByteBuffer chunk) {
    if (carry.position() == 0 && chunk.hasArray() && isAscii(chunk)) {
      // Most log text is ASCII: one copy into a compact string, no char buffer.
      String text = new String(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining(),
          StandardCharsets.ISO_8859_1);
      chunk.position(chunk.limit());
      return text;
    }
    ByteBuffer in = chunk;
    if (carry.position() > 0) {
      carry.flip();
      in = ByteBuffer.allocate(carry.remaining() + chunk.remaining());
      in.put(carry).put(chunk).flip();
      carry.clear();
    }
    // UTF-8 never yields more chars than bytes, so one pass always fits.
    CharBuffer out = CharBuffer.allocate(in.remaining());
    decoder.decode(in, out, false);
    carry.put(in); // the start of a character whose remaining bytes are in the next chunk
    chunk.position(chunk.limit());
    out.flip();
    return out.toString();
  }

  private static boolean isAscii(ByteBuffer chunk) {
    byte[] a = chunk.array();
    for (int i = chunk.arrayOffset() + chunk.position(), end = chunk.arrayOffset() + chunk.limit(); i < end; i++) {
      if (a[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /** The end of the stream: an incomplete character left over becomes U+FFFD. */
  public String finish() {
    carry.flip();
    CharBuffer out = CharBuffer.allocate(MAX_CARRY + 1);
    decoder.decode(carry, out, true);
    decoder.flush(out);
    decoder.reset();
    carry.clear();
    out.flip();
    return out.toString();
  }
}
