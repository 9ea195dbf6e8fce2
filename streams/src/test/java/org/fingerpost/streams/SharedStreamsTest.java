package org.fingerpost.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.List;
import org.fingerpost.streams.FakeOpener.Upstream;
import org.fingerpost.testing.RecordingSink;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link SharedStreams} over a fake {@link SharedStreams.Opener} and recording viewers. */
class SharedStreamsTest {
  private final FakeOpener opener = new FakeOpener();

  private SharedStreams streams(long windowBytes, long viewerBufferBytes) {
    return SharedStreams.builder(opener).windowBytes(windowBytes).viewerBufferBytes(viewerBufferBytes).build();
  }

  /** With catch-ups off ({@code catchUpUpstreams(0)}): private upstreams past the window, slow viewers dropped. */
  private SharedStreams withoutCatchUps(long windowBytes, long viewerBufferBytes) {
    return SharedStreams.builder(opener).windowBytes(windowBytes).viewerBufferBytes(viewerBufferBytes)
        .catchUpUpstreams(0).build();
  }

  @Test
  void twoViewersOfTheSameBuildAndTenantShareOneUpstream() {
    SharedStreams streams = streams(100, 100);

    streams.open("b1", "acme", new RecordingSink());
    streams.open("b1", "acme", new RecordingSink());

    assertEquals(1, opener.opens.size());
    assertEquals(1, streams.upstreamCount());
    assertEquals(2, streams.viewerCount());
    assertEquals(0, streams.privateUpstreams());
  }

  @Test
  void windowBytesCountWhatTheWindowsHoldUntilTheyLetGo() {
    SharedStreams streams = streams(10, 100);
    streams.open("b1", "acme", new RecordingSink());
    LogStream leaving = streams.open("b2", "acme", new RecordingSink());
    Upstream b1 = opener.opens.get(0);
    Upstream b2 = opener.opens.get(1);

    b1.send("hello ");
    b2.send("abc");
    assertEquals(9, streams.windowBytesHeld());
    b1.send("world"); // 11 bytes: past b1's window, which lets go
    assertEquals(3, streams.windowBytesHeld());
    leaving.close(); // b2's last viewer leaves: its upstream and window go
    assertEquals(0, streams.windowBytesHeld());
  }

  @Test
  void differentTenantsOrBuildsDoNotShare() {
    SharedStreams streams = streams(100, 100);

    streams.open("b1", "acme", new RecordingSink());
    streams.open("b1", "other", new RecordingSink());
    streams.open("b1", null, new RecordingSink());
    streams.open("b2", "acme", new RecordingSink());

    assertEquals(4, opener.opens.size());
    assertEquals(4, streams.upstreamCount());
    assertEquals(4, streams.viewerCount());
    assertEquals(List.of("b1/acme", "b1/other", "b1/null", "b2/acme"),
        opener.opens.stream().map(o -> o.buildId + "/" + o.tenant).toList());
  }

  @Test
  void bothViewersReceiveTheSameBytesAndTheEnd() {
    SharedStreams streams = streams(100, 100);
    RecordingSink first = new RecordingSink();
    RecordingSink second = new RecordingSink();
    streams.open("b1", "acme", first);
    streams.open("b1", "acme", second);
    Upstream up = opener.only();

    up.send("hello ");
    up.send("world");
    up.sink.onEnd();

    assertEquals("hello world", first.text());
    assertEquals("hello world", second.text());
    assertEquals(1, first.endCalls.get());
    assertEquals(1, second.endCalls.get());
    assertEquals(0, streams.upstreamCount());
    assertEquals(0, streams.viewerCount());
  }

  @Test
  void anUpstreamErrorReachesBothViewers() {
    SharedStreams streams = streams(100, 100);
    RecordingSink first = new RecordingSink();
    RecordingSink second = new RecordingSink();
    streams.open("b1", "acme", first);
    streams.open("b1", "acme", second);
    StreamException error = StreamException.internal("peer went away", null);

    opener.only().sink.onError(error);

    assertEquals(List.of(error), first.errors);
    assertEquals(List.of(error), second.errors);
    assertEquals(0, first.endCalls.get() + second.endCalls.get());
    assertEquals(0, streams.upstreamCount());
    assertEquals(0, streams.viewerCount());
  }

  @Test
  void aFailureWhileOpeningReachesTheViewer() {
    StreamException error = new StreamException(StreamException.Kind.BUILD_NOT_FOUND, "no node");
    SharedStreams streams = SharedStreams.builder((buildId, tenant, sink) -> {
      sink.onError(error);
      return LogStream.CLOSED;
    }).build();
    RecordingSink viewer = new RecordingSink();

    streams.open("b1", "acme", viewer);

    assertEquals(List.of(error), viewer.errors);
    assertEquals(0, streams.upstreamCount());
    assertEquals(0, streams.viewerCount());
  }

  @Test
  void aViewerArrivingAfterTheSharedStreamEndedOpensAFreshOne() {
    SharedStreams streams = streams(100, 100);
    streams.open("b1", "acme", new RecordingSink());
    opener.only().send("old");
    opener.only().sink.onEnd();

    RecordingSink late = new RecordingSink();
    streams.open("b1", "acme", late);
    opener.opens.get(1).send("new");

    assertEquals(2, opener.opens.size());
    assertEquals(0, streams.privateUpstreams(), "a new shared upstream, not a private one");
    assertEquals(1, streams.upstreamCount());
    assertEquals("new", late.text());
  }

  @Test
  void aLateJoinerWithinTheWindowGetsTheReplayThenTheTail() {
    SharedStreams streams = streams(6, 100);
    RecordingSink first = new RecordingSink();
    streams.open("b1", "acme", first);
    Upstream up = opener.only();
    up.send("abc");
    up.send("def"); // 6 bytes received: exactly the window

    RecordingSink late = new RecordingSink();
    streams.open("b1", "acme", late);
    assertEquals("abcdef", late.text(), "the window is replayed on joining");
    up.send("ghi");
    up.send("jk");

    assertEquals("abcdefghijk", first.text());
    assertEquals("abcdefghijk", late.text());
    assertEquals(1, opener.opens.size());
    assertEquals(0, streams.privateUpstreams());
  }

  @Test
  void aLateJoinerPastTheWindowGetsItsOwnUpstreamFromByteZero() {
    SharedStreams streams = withoutCatchUps(6, 100);
    RecordingSink first = new RecordingSink();
    streams.open("b1", "acme", first);
    opener.only().send("abcdefg"); // 7 bytes: past the window

    RecordingSink late = new RecordingSink();
    streams.open("b1", "acme", late);

    assertEquals(2, opener.opens.size());
    assertEquals(1, streams.privateUpstreams());
    assertEquals(1, streams.upstreamCount(), "the private upstream is not a shared one");
    assertEquals(1, streams.viewerCount());
    assertEquals(List.of(0L), opener.offsets);
    Upstream own = opener.opens.get(1);
    assertEquals("b1", own.buildId);
    assertEquals("acme", own.tenant);
    own.send("abcdefg");
    own.send("h");
    assertEquals("abcdefgh", late.text());
    assertEquals("abcdefg", first.text(), "the private stream does not reach the shared viewers");
  }

  @Test
  void aViewerLeavingWhileOthersRemainDoesNotCloseTheUpstream() {
    SharedStreams streams = streams(100, 100);
    RecordingSink leaving = new RecordingSink();
    RecordingSink staying = new RecordingSink();
    LogStream leavingHandle = streams.open("b1", "acme", leaving);
    streams.open("b1", "acme", staying);
    Upstream up = opener.only();
    up.send("ab");

    leavingHandle.close();
    up.send("cd");

    assertEquals(0, up.stream.closes);
    assertEquals(1, streams.upstreamCount());
    assertEquals(1, streams.viewerCount());
    assertEquals("abcd", staying.text());
    assertEquals("ab", leaving.text(), "a closed viewer gets nothing more");
  }

  @Test
  void theLastViewerLeavingClosesTheUpstream() {
    SharedStreams streams = streams(100, 100);
    LogStream first = streams.open("b1", "acme", new RecordingSink());
    LogStream second = streams.open("b1", "acme", new RecordingSink());
    Upstream up = opener.only();

    first.close();
    second.close();
    second.close();

    assertEquals(1, up.stream.closes);
    assertEquals(0, streams.upstreamCount());
    assertEquals(0, streams.viewerCount());
  }

  @Test
  void aViewerFallingMoreThanItsBufferBehindIsDroppedWhileTheOtherKeepsReceiving() {
    SharedStreams streams = withoutCatchUps(1000, 10);
    RecordingSink slow = RecordingSink.holding();
    RecordingSink fast = new RecordingSink();
    LogStream slowHandle = streams.open("b1", "acme", slow);
    streams.open("b1", "acme", fast);
    Upstream up = opener.only();

    up.send("1111"); // the slow viewer takes it and never runs next
    up.send("2222"); // 4 bytes wait for it
    up.send("3333"); // 8 bytes wait
    assertEquals(0, streams.droppedViewers());
    up.send("4444"); // 12 would wait: more than 10

    assertEquals(1, streams.droppedViewers());
    assertEquals(1, streams.viewerCount());
    assertEquals(1, streams.upstreamCount());
    assertEquals(4, up.nextsRun, "the upstream read on past the slow viewer");
    up.send("5555");
    assertEquals("11112222333344445555", fast.text());
    assertEquals(5, up.nextsRun);

    slow.runNext(); // its write finishes: then it learns it was dropped
    assertEquals("1111", slow.text());
    assertEquals(1, slow.errors.size());
    assertInstanceOf(SlowViewerException.class, slow.errors.get(0));
    assertEquals("Internal streaming error", slow.errors.get(0).wireMessage());

    slowHandle.close();
    assertEquals(1, streams.viewerCount(), "closing the dropped viewer's handle does not count it twice");
    assertEquals(0, up.stream.closes);
  }

  @Test
  void theUpstreamPausesWhileItsOnlyViewerHasMoreThanHalfItsBufferWaiting() {
    SharedStreams streams = streams(1000, 10);
    RecordingSink viewer = RecordingSink.holding();
    streams.open("b1", "acme", viewer);
    Upstream up = opener.only();

    up.send("1111"); // in flight, nothing waits
    up.send("2222"); // 4 of 10 wait
    assertEquals(2, up.nextsRun);
    up.send("3333"); // 8 of 10 wait
    assertEquals(2, up.nextsRun, "paused");

    viewer.runNext();
    viewer.runNext();
    viewer.runNext();

    assertEquals(3, up.nextsRun, "resumed once the viewer caught up");
    assertEquals("111122223333", viewer.text());
    assertEquals(0, streams.droppedViewers());
  }

  @Test
  void pastTheWindowASoleIdleViewerBorrowsTheUpstreamBuffer() {
    SharedStreams streams = streams(4, 100);
    RecordingSink viewer = RecordingSink.holding();
    streams.open("b1", "acme", viewer);
    Upstream up = opener.only();
    ByteBuffer chunk = ByteBuffer.wrap("abcdef".getBytes(US_ASCII));

    up.sink.onData(chunk, up::nextRan);

    assertSame(chunk, viewer.buffers.get(0));
    assertEquals("abcdef", viewer.text());
    assertEquals(0, up.nextsRun, "the upstream must not reuse its buffer before the viewer is done");
    viewer.runNext();
    assertEquals(1, up.nextsRun);
  }

  @Test
  void withinTheWindowASoleViewerGetsACopyAndTheUpstreamReadsOnAtOnce() {
    SharedStreams streams = streams(4, 100);
    RecordingSink viewer = RecordingSink.holding();
    streams.open("b1", "acme", viewer);
    Upstream up = opener.only();
    ByteBuffer chunk = ByteBuffer.wrap("abcd".getBytes(US_ASCII));

    up.sink.onData(chunk, up::nextRan);

    assertNotSame(chunk, viewer.buffers.get(0));
    assertEquals("abcd", viewer.text());
    assertEquals(1, up.nextsRun);
  }

  @Test
  void pastTheWindowASoleViewerStillWritingGetsACopy() {
    SharedStreams streams = streams(4, 100);
    RecordingSink viewer = RecordingSink.holding();
    streams.open("b1", "acme", viewer);
    Upstream up = opener.only();
    up.send("ab"); // a copy, still in flight
    ByteBuffer chunk = ByteBuffer.wrap("cdef".getBytes(US_ASCII));

    up.sink.onData(chunk, up::nextRan);
    viewer.runNext();

    assertNotSame(chunk, viewer.buffers.get(1));
    assertEquals("abcdef", viewer.text());
    assertEquals(2, up.nextsRun);
  }

  @Test
  void pastTheWindowTwoViewersGetCopies() {
    SharedStreams streams = streams(4, 100);
    RecordingSink first = new RecordingSink();
    RecordingSink second = new RecordingSink();
    streams.open("b1", "acme", first);
    streams.open("b1", "acme", second);
    Upstream up = opener.only();
    up.send("abc");
    ByteBuffer chunk = ByteBuffer.wrap("defgh".getBytes(US_ASCII));

    up.sink.onData(chunk, up::nextRan);

    assertNotSame(chunk, first.buffers.get(1));
    assertNotSame(chunk, second.buffers.get(1));
    assertEquals("abcdefgh", first.text());
    assertEquals("abcdefgh", second.text());
    assertEquals(2, up.nextsRun);
  }

  @Test
  void openWithAnOffsetDeliversTheLogFromThatByte() {
    SharedStreams streams = streams(100, 100);
    RecordingSink viewer = new RecordingSink();

    streams.open("b1", "acme", 3, viewer);
    Upstream up = opener.only();
    up.send("ab");
    up.send("cdef");
    up.send("gh");

    assertEquals("defgh", viewer.text());
  }

  @Test
  void aLateJoinerWithAnOffsetWithinTheWindowSkipsTheReplayedBytesBeforeIt() {
    SharedStreams streams = streams(100, 100);
    RecordingSink first = new RecordingSink();
    streams.open("b1", "acme", first);
    Upstream up = opener.only();
    up.send("abc");
    up.send("def");

    RecordingSink late = new RecordingSink();
    streams.open("b1", "acme", 4, late);
    up.send("gh");

    assertEquals("efgh", late.text());
    assertEquals("abcdefgh", first.text());
    assertEquals(1, opener.opens.size());
  }

  @Test
  void aLateJoinerWithAnOffsetPastTheWindowOpensItsOwnUpstreamFromThatOffset() {
    SharedStreams streams = streams(4, 100);
    streams.open("b1", "acme", new RecordingSink());
    opener.only().send("abcdef");

    RecordingSink late = new RecordingSink();
    streams.open("b1", "acme", 2, late);
    Upstream own = opener.opens.get(1);
    own.send("abcdef");

    assertEquals(List.of(2L), opener.offsets);
    assertEquals(1, streams.privateUpstreams());
    assertEquals("cdef", late.text());
  }

  @Test
  void aNegativeOffsetIsRejected() {
    SharedStreams streams = streams(100, 100);

    assertThrows(IllegalArgumentException.class, () -> streams.open("b1", "acme", -1, new RecordingSink()));
    assertEquals(0, opener.opens.size());
  }

  @Test
  void builderRejectsANegativeWindow() {
    SharedStreams.Builder builder = SharedStreams.builder(opener);

    assertThrows(IllegalArgumentException.class, () -> builder.windowBytes(-1));
  }

  @Test
  void builderRejectsAnEmptyViewerBuffer() {
    SharedStreams.Builder builder = SharedStreams.builder(opener);

    assertThrows(IllegalArgumentException.class, () -> builder.viewerBufferBytes(0));
  }

  @Test
  void builderAcceptsAZeroWindowAndAOneByteViewerBuffer() {
    SharedStreams streams = SharedStreams.builder(opener).windowBytes(0).viewerBufferBytes(1).build();
    RecordingSink viewer = new RecordingSink();

    streams.open("b1", "acme", viewer);
    opener.only().send("x");

    assertEquals("x", viewer.text());
  }
}
