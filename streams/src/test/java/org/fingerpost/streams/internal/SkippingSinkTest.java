package org.fingerpost.streams.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.fingerpost.testing.RecordingSink;
import org.junit.jupiter.api.Test;

/** Skipping to an offset over a peer that streams from byte 0, and a peer's answer kept whole. */
class SkippingSinkTest {
  private static void send(SkippingSink s, String text) {
    s.onData(ByteBuffer.wrap(text.getBytes(UTF_8)), () -> { });
  }

  @Test
  void dropsTheBytesBeforeTheOffset() {
    RecordingSink sink = new RecordingSink();
    SkippingSink skipping = new SkippingSink(sink, 7, true);
    send(skipping, "hello\n");
    send(skipping, "world\n");
    assertEquals("orld\n", sink.text());
  }

  @Test
  void aPeersWholeAnswerIsNotCutIntoLogText() {
    RecordingSink sink = new RecordingSink();
    SkippingSink skipping = new SkippingSink(sink, 10, true);
    send(skipping, "Build ID abc123 not found");
    assertEquals("Build ID abc123 not found", sink.text(), "kept whole, for the resume to recognise");
    RecordingSink plain = new RecordingSink();
    send(new SkippingSink(plain, 10), "Build ID abc123 not found");
    assertEquals("bc123 not found", plain.text(), "without keepAnswers, bytes are bytes");
  }
}
