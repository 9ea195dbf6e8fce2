package org.fingerpost.streams.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.fingerpost.streams.ResumePolicy;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One build's log as this node delivers it, across upstream connections: the end of a log means the end
 * of the log (docs/design.md 4). When an upstream ends or breaks after it delivered something, the
 * registry is asked whether the build still runs: finished (no request node, or state {@code completed},
 * as Zuul marks it) is the log's end; running, the log is opened again from the byte offset already
 * delivered, through a fresh resolve (another gateway of the zone, the executor), within the {@link
 * ResumePolicy}; out of attempts, the sink gets an error. A resume that finds the log gone at its source
 * (the streamer's {@code not found} answer, or an empty clean end) is the log's end too. A failure before
 * anything was delivered on the first connection is reported as it is (it is what the client asked for:
 * {@code Build not found}, an unreachable executor). Upstream error texts in the stream are kept out of
 * the log ({@link InBandErrorGuard}).
 *
 * <p><b>Threads.</b> Attempts run one at a time, so the sink's calls stay serial; registry checks run on
 * the lookup executor, waits on the timer. {@link #close()} is idempotent and thread-safe. State is
 * guarded by {@link #lock}; no sink call or I/O happens under it.
 */
public final class ResumingStream implements LogStream {
  private static final Logger LOG = LoggerFactory.getLogger(ResumingStream.class);

  /** Opens the log from an offset without blocking (the router's asynchronous open). */
  @FunctionalInterface
  public interface Upstream {
    LogStream open(long offset, LogSink sink);
  }

  /** What the registry says about the build now; may block (runs on the lookup executor). */
  @FunctionalInterface
  public interface Registry {
    /** True when the build still runs, false when it finished; throws when the registry cannot say. */
    boolean running() throws StreamException;
  }

  private final String buildId;
  private final Upstream upstream;
  private final Registry registry;
  private final Executor lookups;
  private final ScheduledExecutorService timers;
  private final ResumePolicy policy;
  private final LogSink sink;
  private final Object lock = new Object();
  // Guarded by lock.
  private boolean closed;
  private LogStream current;
  private ScheduledFuture<?> wait;
  private int attempts;
  private int fruitless;
  private long offset;

  private ResumingStream(String buildId, long offset, Upstream upstream, Registry registry, Executor lookups,
      ScheduledExecutorService timers, ResumePolicy policy, LogSink sink) {
    this.buildId = buildId;
    this.offset = offset;
    this.upstream = upstream;
    this.registry = registry;
    this.lookups = lookups;
    this.timers = timers;
    this.policy = policy;
    this.sink = sink;
  }

  /** Opens {@code buildId}'s log from {@code offset} into {@code sink}; failures reach the sink. */
  public static LogStream start(String buildId, long offset, Upstream upstream, Registry registry,
      Executor lookups, ScheduledExecutorService timers, ResumePolicy policy, LogSink sink) {
    ResumingStream s = new ResumingStream(buildId, offset, upstream, registry, lookups, timers, policy, sink);
    s.openAttempt();
    return s;
  }

  private void openAttempt() {
    Attempt a;
    synchronized (lock) {
      if (closed) {
        return;
      }
      wait = null;
      a = new Attempt(attempts++, offset);
    }
    // A resume (or a client's own offset) may meet a peer's whole answer instead of log bytes.
    LogSink guarded = new InBandErrorGuard(a, timers, policy.errorTextGrace(), a.index > 0 || a.start > 0);
    LogStream opened = upstream.open(a.start, guarded);
    boolean closeNow;
    synchronized (lock) {
      closeNow = closed;
      if (!closed && a.index == attempts - 1) {
        current = opened; // unless this attempt already ended and the next one was opened
      }
    }
    if (closeNow) {
      opened.close();
    }
  }

  /** An attempt ended ({@code error} null: a clean close); decides between the end, an error and a resume. */
  private void ended(Attempt a, StreamException error) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      current = null;
      if (a.bytes > 0) {
        fruitless = 0;
      }
    }
    boolean gone = error instanceof InBandErrors.Error e && e.gone();
    if (error instanceof InBandErrors.Refusal) {
      sink.onError(error); // a peer's refusal (a routing loop, a limit) is final: asking again repeats it
    } else if (a.index == 0 && a.bytes == 0 && error != null && !gone) {
      sink.onError(error); // nothing delivered yet: the client's answer, as without resuming
    } else if (a.index > 0 && (gone || (error == null && a.bytes == 0)
        || (error != null && error.kind() == StreamException.Kind.BUILD_NOT_FOUND))) {
      LOG.debug("Build {}: resumed at byte {}, its log is gone at the source: the end", buildId, a.start);
      sink.onEnd();
    } else if (gone && a.index == 0) {
      sink.onEnd();
    } else {
      LOG.debug("Build {}: upstream {} at byte {}; asking the registry whether the build still runs", buildId,
          error == null ? "closed" : "failed (" + error.getMessage() + ")", a.start + a.bytes);
      check(error);
    }
  }

  private void check(StreamException cause) {
    try {
      lookups.execute(() -> decide(cause));
    } catch (RejectedExecutionException e) {
      sink.onError(StreamException.internal("Lookup executor rejected the resume of build " + buildId, e));
    }
  }

  private void decide(StreamException cause) {
    boolean running;
    try {
      running = registry.running();
    } catch (StreamException e) {
      running = true; // unknown: try again, within the attempts
    }
    if (!running) {
      LOG.debug("Build {}: finished in the registry: the end of its log", buildId);
      sink.onEnd();
      return;
    }
    int n;
    long at;
    synchronized (lock) {
      if (closed) {
        return;
      }
      n = ++fruitless;
      at = offset;
      if (n <= policy.attempts()) {
        wait = timers.schedule(this::openAttempt, policy.backoff(n).toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    if (n > policy.attempts()) {
      LOG.warn("Build {} still runs but its log could not be resumed at byte {} after {} attempts", buildId, at,
          policy.attempts());
      sink.onError(StreamException.internal("Upstream of build " + buildId + " lost at byte " + at
          + "; resuming failed " + policy.attempts() + " times", cause));
      return;
    }
    LOG.info("Build {} still runs: resuming its log at byte {} (attempt {} of {}; upstream: {})", buildId, at, n,
        policy.attempts(), cause == null ? "closed" : cause.getMessage());
  }

  @Override
  public void close() {
    LogStream c;
    ScheduledFuture<?> w;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      c = current;
      w = wait;
      current = null;
    }
    if (w != null) {
      w.cancel(false);
    }
    if (c != null) {
      c.close();
    }
  }

  /** The sink of one upstream connection: counts what it passes on. */
  private final class Attempt implements LogSink {
    final int index;
    final long start;
    /** Touched by this attempt's serial sink calls only. */
    long bytes;

    Attempt(int index, long start) {
      this.index = index;
      this.start = start;
    }

    @Override
    public void onData(ByteBuffer chunk, Runnable next) {
      int n = chunk.remaining();
      synchronized (lock) {
        if (closed) {
          return;
        }
        offset += n;
      }
      bytes += n;
      sink.onData(chunk, next);
    }

    @Override
    public void onEnd() {
      ended(this, null);
    }

    @Override
    public void onError(StreamException error) {
      ended(this, error);
    }
  }
}
