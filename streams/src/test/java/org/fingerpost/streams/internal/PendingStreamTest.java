package org.fingerpost.streams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.junit.jupiter.api.Test;

class PendingStreamTest {
  /** A route to a fixed target that records what it opened; opening delivers {@code log} at once. */
  private static final class FixedRoute implements PendingStream.Route {
    final StreamTarget target;
    final String log;
    final List<StreamTarget> opened = new ArrayList<>();
    final AtomicInteger closes = new AtomicInteger();
    final List<StreamException> failed = new ArrayList<>();

    FixedRoute(StreamTarget target, String log) {
      this.target = target;
      this.log = log;
    }

    @Override
    public StreamTarget resolve(String buildId, String tenant) throws StreamException {
      if (target == null) {
        throw new StreamException(StreamException.Kind.BUILD_NOT_FOUND, "no such build");
      }
      return target;
    }

    @Override
    public void failed(StreamException e) {
      failed.add(e);
    }

    @Override
    public LogStream open(StreamTarget t, LogSink sink) {
      opened.add(t);
      sink.onData(ByteBuffer.wrap(log.getBytes(StandardCharsets.UTF_8)), () -> {});
      return closes::incrementAndGet;
    }
  }

  /** Collects the text and the terminal call. */
  private static final class Collect implements LogSink {
    final StringBuilder text = new StringBuilder();
    StreamException error;

    @Override
    public void onData(ByteBuffer chunk, Runnable next) {
      text.append(StandardCharsets.UTF_8.decode(chunk));
      next.run();
    }

    @Override
    public void onEnd() {}

    @Override
    public void onError(StreamException e) {
      error = e;
    }
  }

  private static StreamTarget target(Set<String> capabilities) {
    return StreamTarget.builder("ab12", "host", 79).capabilities(capabilities).build();
  }

  @Test
  void offsetIsPassedOnToAPeerThatSupportsIt() {
    FixedRoute route = new FixedRoute(target(Set.of(StreamTarget.OFFSET_CAPABILITY)), "from the peer");
    Collect sink = new Collect();
    new PendingStream().run(route, "ab12", null, 5, sink);
    assertEquals(5, route.opened.get(0).offset());
    assertEquals("from the peer", sink.text.toString(), "the peer skipped, not us");
  }

  @Test
  void offsetIsSkippedHereForAPeerWithout() {
    FixedRoute route = new FixedRoute(target(Set.of()), "0123456789");
    Collect sink = new Collect();
    new PendingStream().run(route, "ab12", null, 4, sink);
    assertEquals(0, route.opened.get(0).offset());
    assertEquals("456789", sink.text.toString());
  }

  @Test
  void closedBeforeTheLookupOpensNothing() {
    FixedRoute route = new FixedRoute(target(Set.of()), "x");
    PendingStream pending = new PendingStream();
    pending.close();
    Collect sink = new Collect();
    pending.run(route, "ab12", null, 0, sink);
    assertTrue(route.opened.isEmpty());
    assertEquals("", sink.text.toString());
  }

  @Test
  void closingAfterTheOpenClosesTheUpstreamOnce() {
    FixedRoute route = new FixedRoute(target(Set.of()), "x");
    PendingStream pending = new PendingStream();
    pending.run(route, "ab12", null, 0, new Collect());
    pending.close();
    pending.close();
    assertEquals(1, route.closes.get());
  }

  @Test
  void failedLookupReachesTheSinkAndIsCounted() {
    FixedRoute route = new FixedRoute(null, "");
    Collect sink = new Collect();
    new PendingStream().run(route, "ab12", null, 0, sink);
    assertEquals(StreamException.Kind.BUILD_NOT_FOUND, sink.error.kind());
    assertSame(sink.error, route.failed.get(0));
    assertTrue(route.opened.isEmpty());
  }

  @Test
  void lookupAfterCloseDeliversNothing() {
    FixedRoute route = new FixedRoute(null, "");
    PendingStream pending = new PendingStream();
    Collect sink = new Collect();
    pending.close();
    pending.run(route, "ab12", null, 0, sink);
    assertNull(sink.error);
  }
}
