package org.fingerpost.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.fingerpost.streams.FakeOpener.Upstream;
import org.fingerpost.testing.RecordingSink;
import org.fingerpost.transport.LogStream;
import org.junit.jupiter.api.Test;

/**
 * Catch-up upstreams of {@link SharedStreams} (issue 15, findings 2 and 3): a viewer that falls behind
 * goes on from its offset and rejoins the shared tail; late joiners past the window share catch-ups,
 * at most {@code catchUpUpstreams} per build.
 */
class CatchUpTest {
  private final FakeOpener opener = new FakeOpener();

  private SharedStreams streams(long windowBytes, long viewerBufferBytes, int catchUps) {
    return SharedStreams.builder(opener).windowBytes(windowBytes).viewerBufferBytes(viewerBufferBytes)
        .catchUpUpstreams(catchUps).build();
  }

  @Test
  void aViewerFallingBehindGoesOnFromItsOffsetAndRejoinsTheSharedTail() {
    SharedStreams streams = streams(1000, 10, 4);
    RecordingSink slow = RecordingSink.holding();
    RecordingSink fast = new RecordingSink();
    streams.open("b1", "acme", slow);
    streams.open("b1", "acme", fast);
    Upstream shared = opener.only();
    shared.send("1111"); // the slow viewer takes it and does not run next yet
    shared.send("2222");
    shared.send("3333"); // 8 bytes wait for it
    shared.send("4444"); // 12 would wait: it falls behind at byte 12

    assertEquals(0, streams.droppedViewers());
    assertEquals(1, streams.fellBehind());
    assertEquals(List.of(12L), opener.offsets, "a catch-up from the slow viewer's position");
    assertEquals(1, streams.catchUpCount());
    assertEquals(2, streams.viewerCount());
    shared.send("5555");
    assertEquals("11112222333344445555", fast.text());
    assertEquals(5, shared.nextsRun, "the shared upstream never waited for the slow viewer");

    Upstream catchUp = opener.opens.get(1);
    catchUp.send("111122223333"); // the fake opener's catch-up starts at 0: skipped to byte 12
    catchUp.send("4444"); // the lone rider keeps it even over its buffer
    assertEquals(1, catchUp.nextsRun, "paused: its only viewer has its buffer full");
    slow.runNext();
    slow.runNext();
    slow.runNext();
    assertEquals(2, catchUp.nextsRun, "read on once the viewer caught up");
    catchUp.send("5555"); // byte 20: where the shared upstream is; it rejoins
    assertEquals(1, catchUp.stream.closes, "the catch-up closes once its viewer rejoined");
    assertEquals(0, streams.catchUpCount());
    shared.send("6666");
    slow.pumpUntil(24);

    assertEquals("111122223333444455556666", slow.text());
    assertEquals("111122223333444455556666", fast.text());
    assertEquals(0, shared.stream.closes);
    assertEquals(2, opener.opens.size());
  }

  @Test
  void lateJoinersPastTheWindowShareOneCatchUpThenRejoinTheSharedTail() {
    SharedStreams streams = streams(4, 100, 4);
    RecordingSink first = new RecordingSink();
    streams.open("b1", "acme", first);
    Upstream shared = opener.only();
    shared.send("abcdef"); // past the 4-byte window

    RecordingSink late1 = new RecordingSink();
    RecordingSink late2 = new RecordingSink();
    streams.open("b1", "acme", late1);
    streams.open("b1", "acme", late2); // the catch-up has not read yet: it rides it
    assertEquals(2, opener.opens.size());
    Upstream catchUp = opener.opens.get(1);
    catchUp.send("abc");
    RecordingSink late3 = new RecordingSink();
    streams.open("b1", "acme", late3); // the catch-up's window still replays "abc"
    assertEquals(2, opener.opens.size(), "one catch-up for three late joiners");
    catchUp.send("def"); // reaches the shared upstream's position
    assertEquals(0, streams.catchUpCount());
    assertEquals(1, catchUp.stream.closes);
    shared.send("g");

    for (RecordingSink v : List.of(first, late1, late2, late3)) {
      assertEquals("abcdefg", v.text());
    }
    assertEquals(1, streams.upstreamCount());
    assertEquals(4, streams.viewerCount());
    assertEquals(1, streams.privateUpstreams());
  }

  @Test
  void pastTheCapALateJoinerWaitsForACatchUpSlot() {
    SharedStreams streams = streams(2, 100, 1);
    streams.open("b1", "acme", new RecordingSink());
    Upstream shared = opener.only();
    shared.send("abcdef");
    RecordingSink late1 = new RecordingSink();
    streams.open("b1", "acme", late1);
    Upstream catchUp1 = opener.opens.get(1);
    catchUp1.send("abc"); // past its own window: byte 0 is gone from it
    RecordingSink late2 = new RecordingSink();
    streams.open("b1", "acme", late2);

    assertEquals(2, opener.opens.size(), "the cap is one catch-up: the second late joiner waits");
    assertEquals("", late2.text());
    catchUp1.send("def"); // rejoins: the slot is free again
    assertEquals(3, opener.opens.size());
    Upstream catchUp2 = opener.opens.get(2);
    catchUp2.send("abcdef");
    shared.send("g");

    assertEquals("abcdefg", late1.text());
    assertEquals("abcdefg", late2.text());
    assertEquals(0, streams.catchUpCount());
    assertEquals(2, streams.privateUpstreams());
  }

  @Test
  void aWaitingViewerThatLeavesIsForgotten() {
    SharedStreams streams = streams(2, 100, 1);
    streams.open("b1", "acme", new RecordingSink());
    opener.only().send("abcdef");
    LogStream late1 = streams.open("b1", "acme", new RecordingSink());
    opener.opens.get(1).send("abc");
    LogStream late2 = streams.open("b1", "acme", new RecordingSink());
    assertEquals(3, streams.viewerCount());

    late2.close();
    assertEquals(2, streams.viewerCount());
    late1.close(); // the catch-up's last viewer: it closes, and nobody waits for the slot
    assertEquals(1, opener.opens.get(1).stream.closes);
    assertEquals(2, opener.opens.size());
    assertEquals(0, streams.catchUpCount());
    assertEquals(1, streams.viewerCount());
  }

  @Test
  void aViewerFallingBehindAgainWhileSkippingToItsOffsetLosesNoByte() {
    SharedStreams streams = streams(2, 10, 1);
    RecordingSink slow = RecordingSink.holding();
    streams.open("b1", "acme", slow);
    streams.open("b1", "acme", new RecordingSink());
    Upstream shared = opener.only();
    shared.send("1111"); // the slow viewer takes it and does not run next yet
    RecordingSink late = new RecordingSink();
    streams.open("b1", "acme", late); // past the window: the one catch-up, from byte 0
    Upstream catchUp = opener.opens.get(1);
    shared.send("2222");
    shared.send("3333");
    shared.send("4444"); // the slow viewer falls behind at byte 12; no slot: it rides the catch-up, skipping 12
    catchUp.send("11112222"); // skipped: 4 bytes left to skip
    catchUp.send("33334444"); // still full: it falls behind again, at byte 12, while skipping
    assertEquals(2, streams.fellBehind());
    assertEquals(1, catchUp.stream.closes, "the catch-up reached the shared tail and closed");
    assertEquals(3, opener.opens.size(), "the freed slot: a catch-up from byte 12");
    Upstream second = opener.opens.get(2);
    assertEquals(12L, opener.offsets.get(opener.offsets.size() - 1));
    second.send("1111222233334444"); // from 0 in this fake: the opener skips to byte 12
    slow.pumpUntil(16); // it rejoins the shared tail, at byte 16
    shared.send("5");
    slow.pumpUntil(17);

    assertEquals("11112222333344445", slow.text(), "every byte once, in order");
    assertEquals("11112222333344445", late.text());
  }

  @Test
  void aCatchUpEndsItsViewersWhenTheLogEnds() {
    SharedStreams streams = streams(2, 100, 4);
    LogStream first = streams.open("b1", "acme", new RecordingSink());
    opener.only().send("abcdef");
    RecordingSink late = new RecordingSink();
    streams.open("b1", "acme", late);
    first.close(); // the shared upstream closes: the catch-up goes on alone
    Upstream catchUp = opener.opens.get(1);
    catchUp.send("abcdefgh");
    catchUp.sink.onEnd();

    assertEquals("abcdefgh", late.text());
    assertEquals(1, late.endCalls.get());
    assertEquals(0, streams.viewerCount());
    assertEquals(0, streams.catchUpCount());
    assertEquals(0, streams.upstreamCount());
  }

  @Test
  void builderRejectsANegativeCap() {
    SharedStreams.Builder builder = SharedStreams.builder(opener);

    assertThrows(IllegalArgumentException.class, () -> builder.catchUpUpstreams(-1));
  }
}
