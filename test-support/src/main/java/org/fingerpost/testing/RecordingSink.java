package org.fingerpost.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.StreamException;

/**
 * A {@link LogSink} for tests: records everything a transport (or a fan-out) delivers and checks the
 * {@link LogSink} contract while doing so. A plugin author can test a transport with it too
 * (docs/plugins.md).
 *
 * <p><b>Records</b> the bytes ({@link #bytes()}, {@link #text()}), each call in order ({@link #events}:
 * {@code data:<ascii>}, {@code end}, {@code error}), the very chunks it was given ({@link #buffers}, for
 * tests of buffer ownership), the errors, call counts, and futures for the end ({@link #ended}, {@link
 * #failed}, {@link #done}).
 *
 * <p><b>Checks</b> the contract and keeps the first breach in {@link #violation} (and overlapping calls
 * in {@link #overlapped}): calls are serial, no {@code onData} before the previous {@code next} ran,
 * nothing after the end. The test asserts on them; the sink never throws into the transport.
 *
 * <p><b>Backpressure.</b> By default the sink runs {@code next} at once, after recording the chunk
 * (outside the checked call, so a transport that delivers the next chunk from {@code next} is fine).
 * {@link #holding()} (or {@link #holdNext(boolean)}) keeps every {@code next} in {@link #heldNext}
 * instead, to play a viewer that does not keep up; the test then runs them with {@link #runNext()},
 * {@link #pumpUntil} or {@link #pumpToEnd()}.
 *
 * <p>Threads: the transport's calls may come from any thread; the test reads from its own. Waits use
 * {@link Await} and fail with an {@link AssertionError} after {@link #TIMEOUT}.
 */
public final class RecordingSink implements LogSink {
  /** Longest a wait on this sink may take. */
  public static final Duration TIMEOUT = Await.DEFAULT;

  /** Each call in order: {@code data:<the chunk as ASCII>}, {@code end}, {@code error}. */
  public final List<String> events = new CopyOnWriteArrayList<>();
  /** The chunks exactly as given (not copies), in order. */
  public final List<ByteBuffer> buffers = new CopyOnWriteArrayList<>();
  public final List<StreamException> errors = new CopyOnWriteArrayList<>();
  public final AtomicInteger dataCalls = new AtomicInteger();
  /** The largest chunk seen, in bytes. */
  public final AtomicInteger maxChunk = new AtomicInteger();
  public final AtomicInteger endCalls = new AtomicInteger();
  public final AtomicInteger errorCalls = new AtomicInteger();
  /** Set when two calls overlapped (the contract says serial). */
  public final AtomicBoolean overlapped = new AtomicBoolean();
  /** The first breach of the {@link LogSink} contract, or null. */
  public final AtomicReference<String> violation = new AtomicReference<>();
  /** Completes with true at {@code onEnd}. */
  public final CompletableFuture<Boolean> ended = new CompletableFuture<>();
  /** Completes with the error at {@code onError}. */
  public final CompletableFuture<StreamException> failed = new CompletableFuture<>();
  /** Completes with null at {@code onEnd}, with the error at {@code onError}. */
  public final CompletableFuture<StreamException> done = new CompletableFuture<>();
  /** The {@code next} callbacks kept while holding, oldest first. */
  public final BlockingQueue<Runnable> heldNext = new LinkedBlockingQueue<>();

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final AtomicInteger inCall = new AtomicInteger();
  private final AtomicInteger outstanding = new AtomicInteger();
  private volatile boolean hold;
  private volatile boolean finished;

  /** A sink that runs each {@code next} at once. */
  public RecordingSink() {}

  /** A sink that keeps each {@code next} in {@link #heldNext} (a viewer that does not keep up). */
  public static RecordingSink holding() {
    return new RecordingSink().holdNext(true);
  }

  /** From now on keeps (true) or runs (false) each {@code next}. */
  public RecordingSink holdNext(boolean hold) {
    this.hold = hold;
    return this;
  }

  @Override
  public void onData(ByteBuffer chunk, Runnable next) {
    enter("onData");
    try {
      if (finished) {
        breach("onData after the end");
      }
      if (outstanding.getAndIncrement() != 0) {
        breach("onData before the previous next ran");
      }
      record(chunk);
    } finally {
      exit();
    }
    Runnable counted = () -> {
      outstanding.decrementAndGet();
      next.run();
    };
    if (hold) {
      heldNext.add(counted);
    } else {
      counted.run();
    }
  }

  private void record(ByteBuffer chunk) {
    buffers.add(chunk);
    byte[] copy = new byte[chunk.remaining()];
    chunk.duplicate().get(copy);
    maxChunk.accumulateAndGet(copy.length, Math::max);
    synchronized (this) {
      bytes.write(copy, 0, copy.length);
    }
    events.add("data:" + new String(copy, US_ASCII));
    dataCalls.incrementAndGet();
  }

  @Override
  public void onEnd() {
    terminal("onEnd", null);
  }

  @Override
  public void onError(StreamException error) {
    terminal("onError", error);
  }

  private void terminal(String what, StreamException error) {
    enter(what);
    try {
      if (finished) {
        breach(what + " after the end");
      }
      finished = true;
      if (error == null) {
        events.add("end");
        endCalls.incrementAndGet();
        ended.complete(true);
      } else {
        events.add("error");
        errors.add(error);
        errorCalls.incrementAndGet();
        failed.complete(error);
      }
      done.complete(error);
    } finally {
      exit();
    }
  }

  private void enter(String what) {
    if (inCall.getAndIncrement() != 0) {
      overlapped.set(true);
      breach("concurrent " + what);
    }
  }

  private void exit() {
    inCall.decrementAndGet();
  }

  private void breach(String what) {
    violation.compareAndSet(null, what);
  }

  /** Every byte received so far. */
  public synchronized byte[] bytes() {
    return bytes.toByteArray();
  }

  public synchronized int size() {
    return bytes.size();
  }

  /** Every byte received so far, as UTF-8. */
  public String text() {
    return new String(bytes(), UTF_8);
  }

  /** Whether {@code onEnd} or {@code onError} was called. */
  public boolean isFinished() {
    return finished;
  }

  /** The terminal calls in order: {@code end}, or {@code error <wire message>}. */
  public List<String> endings() {
    List<String> out = new ArrayList<>();
    int error = 0;
    for (String e : events) {
      if (e.equals("end")) {
        out.add("end");
      } else if (e.equals("error")) {
        out.add("error " + errors.get(error++).wireMessage());
      }
    }
    return out;
  }

  public int pendingNextCount() {
    return heldNext.size();
  }

  /** Waits until at least {@code n} bytes arrived; fails after {@link #TIMEOUT}. */
  public void awaitBytes(int n) {
    Await.until(n + " bytes (have " + size() + ")", () -> size() >= n);
  }

  /** Waits until at least {@code n} bytes arrived; false after {@code timeout}. */
  public boolean awaitBytes(long n, Duration timeout) {
    return Await.within(timeout, () -> size() >= n);
  }

  /** Waits until {@code n} {@code onData} calls happened. */
  public void awaitDataCalls(int n) {
    Await.until(n + " onData calls", () -> dataCalls.get() >= n);
  }

  /** Waits until the stream ended or failed. */
  public void awaitEnd() {
    Await.until("the end of the stream", () -> finished);
  }

  /** Runs the oldest held {@code next}, waiting for one to be held. */
  public void runNext() {
    Runnable next;
    try {
      next = heldNext.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for a held next", e);
    }
    if (next == null) {
      throw new AssertionError("the sink holds no next");
    }
    next.run();
  }

  /** Holding: runs every {@code next} as it is held, until the stream ended. */
  public void pumpToEnd() {
    pumpUntil(Integer.MAX_VALUE);
  }

  /**
   * Holding: runs every {@code next} as it is held, until {@code n} bytes arrived or the stream
   * ended; fails if it ended with fewer (unless {@code n} is {@code Integer.MAX_VALUE}).
   */
  public void pumpUntil(int n) {
    Await.until(n == Integer.MAX_VALUE ? "the end of the stream" : n + " bytes", () -> {
      Runnable next = heldNext.poll();
      if (next != null) {
        next.run(); // on the test thread: it may re-enter the sink
      }
      return size() >= n || (finished && heldNext.isEmpty());
    });
    if (size() < n && n != Integer.MAX_VALUE) {
      throw new AssertionError("stream ended after " + size() + " bytes, expected " + n);
    }
  }
}
