package org.fingerpost.transport.finger.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.util.BufferUtil;
import org.junit.jupiter.api.Test;

class RequestLineReaderTest {
  /** As Jetty's EndPoint.fill does: appends to the buffer in flush mode. */
  private static void fill(RequestLineReader reader, String text) {
    ByteBuffer buffer = reader.buffer();
    int pos = BufferUtil.flipToFill(buffer);
    buffer.put(text.getBytes(StandardCharsets.US_ASCII));
    BufferUtil.flipToFlush(buffer, pos);
  }

  @Test
  void lineInPiecesIsReturnedWithoutItsNewline() {
    RequestLineReader reader = new RequestLineReader(64);
    fill(reader, "abc");
    assertNull(reader.scan());
    fill(reader, "def\r");
    assertNull(reader.scan());
    fill(reader, "\nrest");
    assertArrayEquals("abcdef\r".getBytes(StandardCharsets.US_ASCII), reader.scan());
    assertFalse(reader.buffer().hasRemaining(), "cleared after the line");
  }

  @Test
  void fullBufferWithoutNewlineIsTooLong() {
    RequestLineReader reader = new RequestLineReader(8);
    fill(reader, "1234567");
    assertNull(reader.scan());
    assertFalse(reader.full());
    fill(reader, "8");
    assertNull(reader.scan());
    assertTrue(reader.full());
  }

  @Test
  void newlineAsTheLastByteOfAFullBufferStillEndsTheLine() {
    RequestLineReader reader = new RequestLineReader(4);
    fill(reader, "abc\n");
    assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), reader.scan());
  }
}
