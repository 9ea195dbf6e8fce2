package org.fingerpost.webapp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SharedDecodingTest {
  private final SharedDecoding decoding = new SharedDecoding(new SimpleMeterRegistry());

  @Test
  void viewersOfTheSameChunksShareOneDecodingEvenAcrossASplitCharacter() {
    byte[] log = "caf\u00e9 \u2713 ok\n".getBytes(StandardCharsets.UTF_8);
    int cut = "caf".length() + 1; // inside the two bytes of 'é'
    byte[] first = Arrays.copyOfRange(log, 0, cut);
    byte[] second = Arrays.copyOfRange(log, cut, log.length);
    Utf8Decoder a = new Utf8Decoder();
    Utf8Decoder b = new Utf8Decoder();
    SharedText a1 = decoding.decode(first, a);
    SharedText b1 = decoding.decode(first, b);
    SharedText a2 = decoding.decode(second, a);
    SharedText b2 = decoding.decode(second, b);
    assertSame(a1, b1, "one decoding, one string for both viewers");
    assertSame(a2, b2);
    assertEquals("caf", a1.text());
    assertEquals("\u00e9 \u2713 ok\n", b2.text(), "the carried byte went with the shared decoding");
    assertEquals(cut, a1.bytes());
    assertEquals(2, decoding.decodedCount());
    assertEquals(2, decoding.reusedCount());
  }

  @Test
  void aViewerCarryingOtherBytesDecodesOnItsOwn() {
    byte[] tail = Arrays.copyOfRange("\u00e9x".getBytes(StandardCharsets.UTF_8), 1, 3); // continuation, 'x'
    Utf8Decoder plain = new Utf8Decoder();
    Utf8Decoder carrying = new Utf8Decoder();
    carrying.decode(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xc3})); // the lead byte of 'é'
    assertEquals("\uFFFDx", decoding.decode(tail, plain).text());
    assertEquals("\u00e9x", decoding.decode(tail, carrying).text());
    assertEquals(2, decoding.decodedCount());
    assertEquals(0, decoding.reusedCount());
  }
}
