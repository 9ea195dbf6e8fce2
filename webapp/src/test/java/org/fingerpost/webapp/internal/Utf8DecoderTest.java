package org.fingerpost.webapp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8DecoderTest {
  static final String TEXT = "a\u00e9\u6f22\ud83d\ude00z\u20ac";

  @Test
  void everySplitPointDecodesToTheSameText() {
    byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i <= bytes.length; i++) {
      for (int j = i; j <= bytes.length; j++) {
        Utf8Decoder d = new Utf8Decoder();
        String out = d.decode(ByteBuffer.wrap(bytes, 0, i)) + d.decode(ByteBuffer.wrap(bytes, i, j - i))
            + d.decode(ByteBuffer.wrap(bytes, j, bytes.length - j)) + d.finish();
        assertEquals(TEXT, out, "split at " + i + " and " + j);
      }
    }
  }

  @Test
  void oneByteAtATime() {
    Utf8Decoder d = new Utf8Decoder();
    StringBuilder sb = new StringBuilder();
    for (byte b : TEXT.getBytes(StandardCharsets.UTF_8)) {
      sb.append(d.decode(ByteBuffer.wrap(new byte[] {b})));
    }
    assertEquals(TEXT, sb.append(d.finish()).toString());
  }

  @Test
  void invalidBytesAndATruncatedEndBecomeReplacementCharacters() {
    Utf8Decoder d = new Utf8Decoder();
    String out = d.decode(ByteBuffer.wrap(new byte[] {'a', (byte) 0xff, 'b', (byte) 0xe6, (byte) 0xbc}));
    assertEquals("a\ufffdb", out);
    assertEquals("\ufffd", d.finish());
  }

  @Test
  void consumesTheChunk() {
    ByteBuffer chunk = ByteBuffer.wrap("x\u00e9".getBytes(StandardCharsets.UTF_8), 0, 2);
    new Utf8Decoder().decode(chunk);
    assertEquals(0, chunk.remaining());
  }

  @Test
  void asciiFromASliceAndADirectBufferDecodeAlike() {
    byte[] bytes = "--seq 1 t 42\n--".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer slice = ByteBuffer.wrap(bytes, 2, bytes.length - 4).slice();
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length - 4).put(bytes, 2, bytes.length - 4).flip();
    assertEquals("seq 1 t 42\n", new Utf8Decoder().decode(slice));
    assertEquals(0, slice.remaining());
    assertEquals("seq 1 t 42\n", new Utf8Decoder().decode(direct));
  }

  @Test
  void asciiAfterACarriedPartialCharacterCompletesIt() {
    byte[] euro = "\u20ac".getBytes(StandardCharsets.UTF_8);
    Utf8Decoder d = new Utf8Decoder();
    String out = d.decode(ByteBuffer.wrap(euro, 0, 2)) + d.decode(ByteBuffer.wrap(new byte[] {euro[2], 'o', 'k'}))
        + d.decode(ByteBuffer.wrap(new byte[] {'!'}));
    assertEquals("\u20acok!", out);
  }
}
