package org.fingerpost.transport.finger;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.StreamException;

/**
 * A {@link LogSink} for tests: keeps every byte, counts the calls, notices overlapping calls and can
 * hold {@code next} back to play a slow consumer.
 */
final class CollectingSink implements LogSink {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  final AtomicInteger dataCalls = new AtomicInteger();
  final AtomicInteger maxChunk = new AtomicInteger();
  final AtomicInteger endCalls = new AtomicInteger();
  final AtomicInteger errorCalls = new AtomicInteger();
  final AtomicBoolean overlapped = new AtomicBoolean();
  final CompletableFuture<Void> ended = new CompletableFuture<>();
  final CompletableFuture<StreamException> failed = new CompletableFuture<>();
  /** Completes with null on end, with the error on error. */
  final CompletableFuture<StreamException> done = new CompletableFuture<>();
  final LinkedBlockingQueue<Runnable> heldNext = new LinkedBlockingQueue<>();
  private final AtomicBoolean inCall = new AtomicBoolean();
  private volatile boolean holdNext;

  /** Keep every {@code next} in {@link #heldNext} instead of running it. */
  CollectingSink holdNext(boolean hold) {
    this.holdNext = hold;
    return this;
  }

  @Override
  public void onData(ByteBuffer chunk, Runnable next) {
    enter();
    try {
      maxChunk.accumulateAndGet(chunk.remaining(), Math::max);
      byte[] copy = new byte[chunk.remaining()];
      chunk.get(copy);
      synchronized (this) {
        bytes.write(copy, 0, copy.length);
        dataCalls.incrementAndGet();
        notifyAll();
      }
    } finally {
      leave();
    }
    if (holdNext) {
      heldNext.add(next);
    } else {
      next.run();
    }
  }

  @Override
  public void onEnd() {
    enter();
    endCalls.incrementAndGet();
    leave();
    ended.complete(null);
    done.complete(null);
  }

  @Override
  public void onError(StreamException error) {
    enter();
    errorCalls.incrementAndGet();
    leave();
    failed.complete(error);
    done.complete(error);
  }

  private void enter() {
    if (!inCall.compareAndSet(false, true)) {
      overlapped.set(true);
    }
  }

  private void leave() {
    inCall.set(false);
  }

  synchronized byte[] bytes() {
    return bytes.toByteArray();
  }

  synchronized int size() {
    return bytes.size();
  }

  /** Waits until at least {@code n} bytes arrived; false on timeout. */
  synchronized boolean awaitBytes(long n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (bytes.size() < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }
}
