package org.fingerpost.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.fingerpost.transport.StreamException;
import org.junit.jupiter.api.Test;

/** The shared sink records what it is given and notices every breach of the LogSink contract. */
class RecordingSinkTest {
  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(US_ASCII));
  }

  @Test
  void recordsBytesCallsAndTheEndWithoutConsumingTheChunk() throws Exception {
    RecordingSink sink = new RecordingSink();
    ByteBuffer chunk = ascii("ab");
    AtomicInteger nexts = new AtomicInteger();
    sink.onData(chunk, nexts::incrementAndGet);
    sink.onData(ascii("c"), nexts::incrementAndGet);
    sink.onEnd();
    assertEquals("abc", sink.text());
    assertEquals(List.of("data:ab", "data:c", "end"), sink.events);
    assertSame(chunk, sink.buffers.get(0));
    assertEquals(2, chunk.remaining(), "the chunk's position is the transport's");
    assertEquals(2, nexts.get(), "next runs at once by default");
    assertTrue(sink.ended.getNow(false));
    assertNull(sink.done.getNow(StreamException.internal("not done", null)));
    assertEquals(List.of("end"), sink.endings());
    assertNull(sink.violation.get());
  }

  @Test
  void holdingKeepsNextUntilTheTestRunsIt() {
    RecordingSink sink = RecordingSink.holding();
    AtomicInteger nexts = new AtomicInteger();
    sink.onData(ascii("x"), nexts::incrementAndGet);
    assertEquals(0, nexts.get());
    assertEquals(1, sink.pendingNextCount());
    sink.runNext();
    assertEquals(1, nexts.get());
    assertNull(sink.violation.get());
  }

  @Test
  void dataBeforeNextRanIsABreach() {
    RecordingSink sink = RecordingSink.holding();
    sink.onData(ascii("x"), () -> { });
    sink.onData(ascii("y"), () -> { });
    assertEquals("onData before the previous next ran", sink.violation.get());
  }

  @Test
  void anythingAfterTheEndIsABreach() {
    RecordingSink sink = new RecordingSink();
    StreamException error = StreamException.internal("broken", null);
    sink.onError(error);
    sink.onEnd();
    assertEquals("onEnd after the end", sink.violation.get());
    assertSame(error, sink.failed.getNow(null));
    assertEquals(List.of("error Internal streaming error", "end"), sink.endings());
  }

  @Test
  void waitsFailWithTheirTimeout() {
    RecordingSink sink = new RecordingSink();
    assertEquals(false, sink.awaitBytes(1, Duration.ofMillis(50)));
    assertThrows(ConditionTimeoutException.class,
        () -> Await.until("never", Duration.ofMillis(50), () -> false));
  }
}
