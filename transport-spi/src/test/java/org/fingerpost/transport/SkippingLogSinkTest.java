package org.fingerpost.transport;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Dropping the bytes before an offset: chunks dropped whole are acknowledged, a partial one is cut. */
class SkippingLogSinkTest {
  private final List<String> received = new ArrayList<>();
  private final AtomicInteger nexts = new AtomicInteger();
  private final LogSink delegate = new LogSink() {
    @Override
    public void onData(ByteBuffer chunk, Runnable next) {
      byte[] b = new byte[chunk.remaining()];
      chunk.get(b);
      received.add(new String(b, US_ASCII));
      next.run();
    }

    @Override
    public void onEnd() {
      received.add("end");
    }

    @Override
    public void onError(StreamException error) {
      received.add("error");
    }
  };

  private void send(LogSink sink, String text) {
    sink.onData(ByteBuffer.wrap(text.getBytes(US_ASCII)), nexts::incrementAndGet);
  }

  @Test
  void dropsTheFirstBytesAcrossChunksAndAcknowledgesEachChunk() {
    SkippingLogSink sink = new SkippingLogSink(delegate, 6);
    send(sink, "abcd"); // dropped whole
    send(sink, "efgh"); // cut: "gh" kept
    send(sink, "ij");

    assertEquals(List.of("gh", "ij"), received);
    assertEquals(3, nexts.get(), "every chunk's next ran once, dropped or not");
  }

  @Test
  void aSubclassMayStopSkipping() {
    SkippingLogSink sink = new SkippingLogSink(delegate, 100) {
      @Override
      public void onData(ByteBuffer chunk, Runnable next) {
        stopSkipping();
        super.onData(chunk, next);
      }
    };
    send(sink, "whole");

    assertEquals(List.of("whole"), received);
  }

  @Test
  void refusesANegativeSkip() {
    assertThrows(IllegalArgumentException.class, () -> new SkippingLogSink(delegate, -1));
  }
}
