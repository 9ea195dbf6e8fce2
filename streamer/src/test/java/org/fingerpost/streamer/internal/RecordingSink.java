package org.fingerpost.streamer.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.StreamException;

/**
 * A test sink that records bytes and checks the {@link LogSink} contract: serial calls, no data
 * before the previous {@code next}, nothing after the end. In automatic mode it runs {@code next}
 * at once (inside onData); in manual mode the test runs it with {@link #runNext}.
 */
final class RecordingSink implements LogSink {
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  private final boolean automatic;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final BlockingQueue<Runnable> pendingNext = new LinkedBlockingQueue<>();
  private final AtomicInteger inCall = new AtomicInteger();
  private final AtomicInteger outstanding = new AtomicInteger();
  final AtomicInteger dataCalls = new AtomicInteger();
  final AtomicInteger maxChunk = new AtomicInteger();
  final AtomicReference<String> violation = new AtomicReference<>();
  final AtomicReference<StreamException> error = new AtomicReference<>();
  final CountDownLatch ended = new CountDownLatch(1);
  private volatile boolean finished;

  RecordingSink(boolean automatic) {
    this.automatic = automatic;
  }

  @Override
  public void onData(ByteBuffer chunk, Runnable next) {
    enter("onData");
    try {
      if (finished) {
        violation.compareAndSet(null, "onData after the end");
      }
      if (outstanding.getAndIncrement() != 0) {
        violation.compareAndSet(null, "onData before the previous next ran");
      }
      maxChunk.accumulateAndGet(chunk.remaining(), Math::max);
      byte[] copy = new byte[chunk.remaining()];
      chunk.get(copy);
      synchronized (this) {
        bytes.write(copy, 0, copy.length);
        dataCalls.incrementAndGet();
        notifyAll();
      }
      Runnable counted = () -> {
        outstanding.decrementAndGet();
        next.run();
      };
      if (automatic) {
        counted.run();
      } else {
        synchronized (this) {
          pendingNext.add(counted);
          notifyAll();
        }
      }
    } finally {
      exit();
    }
  }

  @Override
  public void onEnd() {
    terminal("onEnd");
  }

  @Override
  public void onError(StreamException e) {
    error.set(e);
    terminal("onError");
  }

  private void terminal(String what) {
    enter(what);
    try {
      if (finished) {
        violation.compareAndSet(null, what + " after the end");
      }
      finished = true;
      synchronized (this) {
        notifyAll();
      }
      ended.countDown();
    } finally {
      exit();
    }
  }

  private void enter(String what) {
    if (inCall.getAndIncrement() != 0) {
      violation.compareAndSet(null, "concurrent " + what);
    }
  }

  private void exit() {
    inCall.decrementAndGet();
  }

  synchronized byte[] bytes() {
    return bytes.toByteArray();
  }

  synchronized int size() {
    return bytes.size();
  }

  /** Waits until at least {@code n} bytes arrived. */
  synchronized void awaitBytes(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (bytes.size() < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("timed out waiting for " + n + " bytes, got " + bytes.size());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Waits until {@code n} onData calls happened. */
  synchronized void awaitDataCalls(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (dataCalls.get() < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail("timed out waiting for " + n + " onData calls, got " + dataCalls.get());
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Runs the oldest pending {@code next} (manual mode); waits for one to be pending. */
  void runNext() throws InterruptedException {
    Runnable r = pendingNext.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (r == null) {
      fail("no next pending");
    }
    r.run();
  }

  /** Manual mode: runs every {@code next} as it becomes pending, until the stream ended. */
  void pumpToEnd() throws InterruptedException {
    pumpUntil(Integer.MAX_VALUE);
  }

  /**
   * Manual mode: runs every {@code next} as it becomes pending, until {@code n} bytes arrived or the
   * stream ended (then fails if fewer than {@code n} arrived, unless {@code n} is MAX_VALUE).
   */
  void pumpUntil(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      Runnable r;
      synchronized (this) {
        while (true) {
          if (bytes.size() >= n) {
            return;
          }
          r = pendingNext.poll();
          if (r != null) {
            break;
          }
          if (finished) {
            if (n != Integer.MAX_VALUE) {
              fail("stream ended after " + bytes.size() + " bytes, expected " + n);
            }
            return;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            fail("timed out; got " + bytes.size() + " bytes");
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
      }
      r.run(); // outside the lock: it may re-enter the sink on this thread
    }
  }

  int pendingNextCount() {
    return pendingNext.size();
  }

  void awaitEnd() throws InterruptedException {
    assertTrue(ended.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "stream did not end; got "
        + size() + " bytes");
  }

  boolean isFinished() {
    return finished;
  }
}
