package org.fingerpost.streams.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.fingerpost.testing.RecordingSink;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.StreamException;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link ViewerQueue}, driven synchronously through a recording sink. */
class ViewerQueueTest {
  private final AtomicInteger caughtUp = new AtomicInteger();

  @Test
  void drainDeliversQueuedChunksInOrder() {
    RecordingSink sink = new RecordingSink();
    ViewerQueue queue = new ViewerQueue(sink, 100, caughtUp::incrementAndGet);

    queue.add(bytes("one "), true);
    queue.add(bytes("two "), true);
    queue.add(bytes("three"), true);
    assertEquals(List.of(), sink.events, "add alone delivers nothing");

    queue.drain();

    assertEquals(List.of("data:one ", "data:two ", "data:three"), sink.events);
  }

  @Test
  void aSinkHoldingNextGetsOneChunkAtATime() {
    RecordingSink sink = RecordingSink.holding();
    ViewerQueue queue = new ViewerQueue(sink, 100, caughtUp::incrementAndGet);
    queue.add(bytes("a"), true);
    queue.add(bytes("b"), true);

    queue.drain();
    assertEquals(List.of("data:a"), sink.events);
    queue.drain();
    assertEquals(List.of("data:a"), sink.events, "draining again while a write is in flight delivers nothing");

    sink.runNext();
    assertEquals(List.of("data:a", "data:b"), sink.events);
  }

  @Test
  void aSinkRunningNextSynchronouslyGetsEveryChunkWithoutRecursion() {
    int chunks = 200_000;
    AtomicInteger received = new AtomicInteger();
    AtomicInteger outOfOrder = new AtomicInteger();
    LogSink sink = new LogSink() {
      @Override
      public void onData(ByteBuffer chunk, Runnable next) {
        if ((chunk.get() & 0xff) != (received.getAndIncrement() & 0xff)) {
          outOfOrder.incrementAndGet();
        }
        next.run();
      }

      @Override
      public void onEnd() {}

      @Override
      public void onError(StreamException error) {}
    };
    ViewerQueue queue = new ViewerQueue(sink, 1, caughtUp::incrementAndGet);
    for (int i = 0; i < chunks; i++) {
      queue.add(new byte[] {(byte) i}, false);
    }

    queue.drain(); // a recursive delivery would overflow the stack here

    assertEquals(chunks, received.get());
    assertEquals(0, outOfOrder.get());
  }

  @Test
  void addRefusesACountedChunkThatWouldExceedTheLimit() {
    RecordingSink sink = new RecordingSink();
    ViewerQueue queue = new ViewerQueue(sink, 10, caughtUp::incrementAndGet);

    assertTrue(queue.add(bytes("123456"), true));
    assertFalse(queue.add(bytes("abcde"), true), "6 + 5 > 10");
    assertTrue(queue.add(bytes("7890"), true), "6 + 4 == 10 is still within the limit");
    queue.drain();

    assertEquals("1234567890", sink.text(), "the refused chunk was not queued");
  }

  @Test
  void uncountedChunksAreAlwaysAccepted() {
    RecordingSink sink = new RecordingSink();
    ViewerQueue queue = new ViewerQueue(sink, 4, caughtUp::incrementAndGet);

    assertTrue(queue.add(bytes("history-"), false));
    assertTrue(queue.add(bytes("more-history-"), false));
    assertFalse(queue.add(bytes("x"), true), "the uncounted bytes still wait, so a counted one has no room");
    queue.drain();

    assertEquals("history-more-history-", sink.text());
  }

  @Test
  void hasRoomWhileAtMostHalfTheLimitIsPending() {
    ViewerQueue queue = new ViewerQueue(RecordingSink.holding(), 10, caughtUp::incrementAndGet);
    assertTrue(queue.hasRoom());

    queue.add(bytes("12345"), true);
    assertTrue(queue.hasRoom(), "5 of 10 pending");

    queue.add(bytes("6"), true);
    assertFalse(queue.hasRoom(), "6 of 10 pending");

    queue.drain(); // "12345" goes out, "6" still waits
    assertTrue(queue.hasRoom());
  }

  @Test
  void caughtUpRunsAfterAWriteOnceAtMostHalfTheLimitWaits() {
    RecordingSink sink = RecordingSink.holding();
    ViewerQueue queue = new ViewerQueue(sink, 12, caughtUp::incrementAndGet);
    queue.add(bytes("aaaa"), true);
    queue.add(bytes("bbbb"), true);
    queue.add(bytes("cccc"), true);
    queue.drain();
    assertEquals(0, caughtUp.get(), "nothing was written yet");

    sink.runNext(); // "aaaa" written while 8 of 12 wait
    assertEquals(0, caughtUp.get());

    sink.runNext(); // "bbbb" written while 4 of 12 wait
    assertEquals(1, caughtUp.get());

    sink.runNext(); // "cccc" written, nothing waits
    assertEquals(2, caughtUp.get());
    assertEquals("aaaabbbbcccc", sink.text());
  }

  @Test
  void endIsDeliveredAfterTheQueuedBytes() {
    RecordingSink sink = RecordingSink.holding();
    ViewerQueue queue = new ViewerQueue(sink, 100, caughtUp::incrementAndGet);
    queue.add(bytes("a"), true);
    queue.add(bytes("b"), true);

    queue.end();
    assertEquals(List.of("data:a"), sink.events);
    sink.runNext();
    assertEquals(List.of("data:a", "data:b"), sink.events);
    sink.runNext();

    assertEquals(List.of("data:a", "data:b", "end"), sink.events);
  }

  @Test
  void failIsDeliveredAfterTheQueuedBytes() {
    RecordingSink sink = RecordingSink.holding();
    ViewerQueue queue = new ViewerQueue(sink, 100, caughtUp::incrementAndGet);
    queue.add(bytes("a"), true);
    queue.add(bytes("b"), true);
    StreamException error = StreamException.internal("upstream broke", null);

    queue.fail(error);
    sink.runNext();
    assertEquals(List.of("data:a", "data:b"), sink.events);
    sink.runNext();

    assertEquals(List.of("data:a", "data:b", "error"), sink.events);
    assertSame(error, sink.errors.get(0));
  }

  @Test
  void onlyTheFirstTerminalEventIsDelivered() {
    RecordingSink sink = new RecordingSink();
    ViewerQueue queue = new ViewerQueue(sink, 100, caughtUp::incrementAndGet);

    queue.end();
    queue.fail(StreamException.internal("late", null));
    queue.end();

    assertEquals(List.of("end"), sink.events);
  }

  @Test
  void failNowDropsTheQueuedBytesAndFailsAtOnce() {
    RecordingSink sink = new RecordingSink();
    ViewerQueue queue = new ViewerQueue(sink, 100, caughtUp::incrementAndGet);
    queue.add(bytes("a"), true);
    queue.add(bytes("b"), true);

    queue.failNow(StreamException.internal("too slow", null));

    assertEquals(List.of("error"), sink.events);
  }

  @Test
  void failNowDuringAWriteFailsRightAfterItWithoutTheQueuedBytes() {
    RecordingSink sink = RecordingSink.holding();
    ViewerQueue queue = new ViewerQueue(sink, 100, caughtUp::incrementAndGet);
    queue.add(bytes("a"), true);
    queue.add(bytes("b"), true);
    queue.add(bytes("c"), true);
    queue.drain();

    queue.failNow(StreamException.internal("too slow", null));
    assertEquals(List.of("data:a"), sink.events, "no call while the sink still owns a chunk");
    sink.runNext();

    assertEquals(List.of("data:a", "error"), sink.events);
  }

  @Test
  void cancelStopsAllFurtherSinkCalls() {
    RecordingSink sink = RecordingSink.holding();
    ViewerQueue queue = new ViewerQueue(sink, 100, caughtUp::incrementAndGet);
    queue.add(bytes("a"), true);
    queue.add(bytes("b"), true);
    queue.drain();

    queue.cancel();
    sink.runNext();
    queue.add(bytes("c"), true);
    queue.drain();
    queue.end();
    queue.fail(StreamException.internal("late", null));

    assertEquals(List.of("data:a"), sink.events);
    assertEquals(0, caughtUp.get(), "a cancelled viewer does not let the upstream read on");
  }

  @Test
  void tryBorrowSucceedsWhenIdleAndReservesTheViewer() {
    ViewerQueue queue = new ViewerQueue(RecordingSink.holding(), 100, caughtUp::incrementAndGet);

    assertTrue(queue.tryBorrow());
    assertFalse(queue.tryBorrow(), "the borrowed write is in flight");
  }

  @Test
  void tryBorrowFailsWhenSomethingIsPending() {
    ViewerQueue queue = new ViewerQueue(RecordingSink.holding(), 100, caughtUp::incrementAndGet);
    queue.add(bytes("a"), true);

    assertFalse(queue.tryBorrow());
  }

  @Test
  void tryBorrowFailsWhileAQueuedWriteIsInFlight() {
    RecordingSink sink = RecordingSink.holding();
    ViewerQueue queue = new ViewerQueue(sink, 100, caughtUp::incrementAndGet);
    queue.add(bytes("a"), true);
    queue.drain();

    assertFalse(queue.tryBorrow());
    sink.runNext();
    assertTrue(queue.tryBorrow(), "idle again once the write is done");
  }

  @Test
  void tryBorrowFailsOnceEndedOrCancelled() {
    ViewerQueue ended = new ViewerQueue(new RecordingSink(), 100, caughtUp::incrementAndGet);
    ended.end();
    ViewerQueue cancelled = new ViewerQueue(new RecordingSink(), 100, caughtUp::incrementAndGet);
    cancelled.cancel();

    assertFalse(ended.tryBorrow());
    assertFalse(cancelled.tryBorrow());
  }

  @Test
  void deliverBorrowedPassesTheSameBufferAndRunsNextOnlyAfterTheSinks() {
    RecordingSink sink = RecordingSink.holding();
    ViewerQueue queue = new ViewerQueue(sink, 100, caughtUp::incrementAndGet);
    ByteBuffer upstreamBuffer = ByteBuffer.wrap(bytes("borrowed"));
    AtomicInteger upstreamNext = new AtomicInteger();
    assertTrue(queue.tryBorrow());

    queue.deliverBorrowed(upstreamBuffer, upstreamNext::incrementAndGet);
    assertSame(upstreamBuffer, sink.buffers.get(0));
    assertEquals("borrowed", sink.text());
    assertEquals(0, upstreamNext.get(), "the sink still owns the upstream's buffer");

    sink.runNext();
    assertEquals(1, upstreamNext.get());
    assertTrue(queue.tryBorrow(), "the viewer is idle again");
  }

  @Test
  void aTerminalEventDuringABorrowedWriteIsDeliveredAfterIt() {
    RecordingSink sink = RecordingSink.holding();
    ViewerQueue queue = new ViewerQueue(sink, 100, caughtUp::incrementAndGet);
    AtomicInteger upstreamNext = new AtomicInteger();
    assertTrue(queue.tryBorrow());
    queue.deliverBorrowed(ByteBuffer.wrap(bytes("x")), upstreamNext::incrementAndGet);

    queue.end();
    assertEquals(List.of("data:x"), sink.events, "no end while the borrowed write is in flight");
    sink.runNext();

    assertEquals(List.of("data:x", "end"), sink.events);
    assertEquals(1, upstreamNext.get());
  }

  @Test
  void skippedBytesAreDroppedAcrossChunksAndAPartialChunkKeepsItsTail() {
    RecordingSink sink = new RecordingSink();
    ViewerQueue queue = new ViewerQueue(sink, 100, caughtUp::incrementAndGet);
    queue.skip(5);

    queue.add(bytes("abc"), true);
    queue.add(bytes("defg"), true);
    queue.add(bytes("hi"), true);
    queue.drain();

    assertEquals("fghi", sink.text());
    assertEquals(0, queue.skipLeft());
  }

  @Test
  void aFullQueueRefusesAChunkWithoutUsingUpTheSkip() {
    RecordingSink sink = RecordingSink.holding();
    ViewerQueue queue = new ViewerQueue(sink, 4, caughtUp::incrementAndGet);
    queue.add(bytes("abcd"), true);
    queue.skip(1);

    assertFalse(queue.add(bytes("xyz"), true), "2 more bytes would be 6 of 4");
    assertEquals(1, queue.skipLeft());
    assertTrue(queue.add(bytes("x"), true), "a chunk wholly skipped always fits");
    assertFalse(queue.tryBorrow(), "nothing is borrowed while bytes are to be skipped");
  }

  @Test
  void takingTheSkipEndsIt() {
    RecordingSink sink = new RecordingSink();
    ViewerQueue queue = new ViewerQueue(sink, 100, caughtUp::incrementAndGet);
    queue.skip(3);

    assertEquals(3, queue.takeSkip());
    queue.add(bytes("abc"), true);
    queue.drain();
    assertEquals("abc", sink.text(), "nothing dropped once the skip was taken");
    assertEquals(0, queue.takeSkip());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(US_ASCII);
  }
}
