package org.fingerpost.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fingerpost.testing.RecordingSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.junit.jupiter.api.Test;

class StreamMetricsTest {
  private final StreamMetrics metrics = StreamMetrics.inMemory();
  private final StreamTarget gateway = StreamTarget.builder("ab12", "gw", 79).route(StreamTarget.Route.GATEWAY).build();
  private final RecordingSink sink = new RecordingSink();

  @Test
  void countsRouteBytesAndNormalEnd() {
    LogStream stream = metrics.track(gateway, sink, counted -> {
      counted.onData(ByteBuffer.wrap(new byte[100]), () -> {});
      counted.onData(ByteBuffer.wrap(new byte[23]), () -> {});
      assertEquals(1, metrics.openStreams());
      counted.onEnd();
      return LogStream.CLOSED;
    });
    assertEquals(123, sink.size(), "bytes pass through unchanged");
    assertEquals(123, metrics.bytes());
    assertEquals(1, metrics.openedCount(StreamTarget.Route.GATEWAY));
    assertEquals(0, metrics.openedCount(StreamTarget.Route.DIRECT));
    assertEquals(0, metrics.openStreams());
    stream.close();
    assertEquals(0, metrics.openStreams(), "closing after the end does not count twice");
  }

  @Test
  void closingByTheOwnerEndsTheStreamOnceAndClosesTheUpstream() {
    AtomicBoolean upstreamClosed = new AtomicBoolean();
    LogStream stream = metrics.track(gateway, sink, counted -> () -> upstreamClosed.set(true));
    assertEquals(1, metrics.openStreams());
    stream.close();
    stream.close();
    assertEquals(0, metrics.openStreams());
    assertEquals(true, upstreamClosed.get());
  }

  @Test
  void countsErrorsByKind() {
    metrics.failed(new StreamException(StreamException.Kind.BUILD_NOT_FOUND, "x"));
    metrics.track(gateway, sink, counted -> {
      counted.onError(StreamException.internal("broken", null));
      return LogStream.CLOSED;
    });
    assertEquals(1, metrics.errorCount(StreamException.Kind.BUILD_NOT_FOUND));
    assertEquals(1, metrics.errorCount(StreamException.Kind.INTERNAL));
    assertEquals(0, metrics.errorCount(StreamException.Kind.BUILD_NOT_STARTED));
    assertEquals(0, metrics.openStreams());
  }
}
