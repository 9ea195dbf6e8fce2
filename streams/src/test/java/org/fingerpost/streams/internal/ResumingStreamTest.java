package org.fingerpost.streams.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fingerpost.streams.ResumePolicy;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RecordingSink;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The decisions of {@link ResumingStream} over scripted upstream attempts (the sockets are in the
 * gateway's and web tier's {@code UpstreamLossTest}): when an upstream's end is the log's end, when it
 * is resumed and from where, and that upstream error texts never become log text.
 */
@Timeout(30)
class ResumingStreamTest {
  private static final ResumePolicy FAST = new ResumePolicy(3, Duration.ofMillis(1), Duration.ofMillis(4),
      Duration.ofSeconds(10));
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final RecordingSink sink = new RecordingSink();
  /** Offsets the attempts were opened at, and their sinks. */
  private final List<Long> offsets = new CopyOnWriteArrayList<>();
  private final List<LogSink> attempts = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);

  @AfterEach
  void stop() {
    timers.shutdownNow();
  }

  private LogStream start(ResumePolicy policy) {
    return ResumingStream.start("abc", 0, (offset, s) -> {
      offsets.add(offset);
      attempts.add(s);
      return LogStream.CLOSED;
    }, running::get, Runnable::run, timers, policy, sink);
  }

  private static void send(LogSink s, String text) {
    s.onData(ByteBuffer.wrap(text.getBytes(UTF_8)), () -> { });
  }

  private void awaitAttempts(int n) {
    Await.until(n + " attempts opened", () -> attempts.size() >= n);
    assertEquals(n, attempts.size(), "attempts opened");
  }

  @Test
  void aCloseWhileTheBuildRunsIsResumedFromTheOffsetAndTheFinishedBuildEnds() throws Exception {
    start(FAST);
    send(attempts.get(0), "part one\n");
    attempts.get(0).onEnd();
    awaitAttempts(2);
    assertEquals(List.of(0L, 9L), offsets);
    send(attempts.get(1), "part two\n");
    running.set(false);
    attempts.get(1).onEnd();
    assertEquals(Boolean.TRUE, sink.ended.get(10, TimeUnit.SECONDS));
    assertEquals("part one\npart two\n", sink.text());
  }

  @Test
  void aFailureBeforeAnyByteIsTheAnswerAsItIs() throws Exception {
    start(FAST);
    attempts.get(0).onError(new StreamException(StreamException.Kind.BUILD_NOT_FOUND, "no node"));
    assertEquals(StreamException.Kind.BUILD_NOT_FOUND, sink.failed.get(10, TimeUnit.SECONDS).kind());
    assertEquals(1, attempts.size());
  }

  @Test
  void attemptsWithoutAByteRunOutIntoAnError() throws Exception {
    start(FAST);
    send(attempts.get(0), "some\n");
    attempts.get(0).onError(StreamException.internal("reset", null));
    for (int i = 1; i <= FAST.attempts(); i++) {
      awaitAttempts(i + 1);
      attempts.get(i).onError(StreamException.internal("refused", null));
    }
    assertEquals(StreamException.Kind.INTERNAL, sink.failed.get(10, TimeUnit.SECONDS).kind());
    assertEquals(FAST.attempts() + 1, attempts.size());
    assertEquals("some\n", sink.text());
  }

  @Test
  void aHopsErrorTextBeforeItsCloseIsNotLogAndIsResumed() throws Exception {
    start(FAST);
    send(attempts.get(0), "hello\nInternal streaming error");
    attempts.get(0).onEnd();
    awaitAttempts(2);
    assertEquals(List.of(0L, 6L), offsets, "resumed after the log bytes, not after the error text");
    assertEquals("hello\n", sink.text());
    running.set(false);
    attempts.get(1).onEnd();
    assertEquals(Boolean.TRUE, sink.ended.get(10, TimeUnit.SECONDS));
    assertEquals("hello\n", sink.text());
  }

  @Test
  void aResumeAnsweredNotFoundIsTheEnd() throws Exception {
    start(FAST);
    send(attempts.get(0), "all\n");
    attempts.get(0).onEnd();
    awaitAttempts(2);
    send(attempts.get(1), "Build ID abc not found");
    attempts.get(1).onEnd();
    assertEquals(Boolean.TRUE, sink.ended.get(10, TimeUnit.SECONDS));
    assertEquals("all\n", sink.text());
  }

  @Test
  void errorTextFollowedByMoreLogIsLog() throws Exception {
    start(new ResumePolicy(3, Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofMillis(50)));
    send(attempts.get(0), "a line about an Internal streaming error");
    send(attempts.get(0), "\nnext\n");
    assertEquals("a line about an Internal streaming error\nnext\n", sink.text());
    send(attempts.get(0), "quiet after Internal streaming error");
    Await.until("the held chunk passed on", () -> sink.text().endsWith("quiet after Internal streaming error"));
    assertEquals("a line about an Internal streaming error\nnext\nquiet after Internal streaming error", sink.text(),
        "passed on once the grace is over without a close");
    assertFalse(sink.isFinished());
  }
}
