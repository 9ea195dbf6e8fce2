package org.fingerpost.streamer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SerialRunnerTest {
  private static final int THREADS = 4;
  private static final int SIGNALS_PER_THREAD = 20_000;

  @Test
  void runsNeverOverlapAndTheLastSignalIsSeen() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicLong published = new AtomicLong();
    AtomicLong seen = new AtomicLong();
    SerialRunner runner = new SerialRunner(pool, () -> {
      if (inside.incrementAndGet() != 1) {
        overlaps.incrementAndGet();
      }
      seen.accumulateAndGet(published.get(), Math::max);
      inside.decrementAndGet();
    }, "test");
    CountDownLatch done = new CountDownLatch(THREADS);
    ExecutorService signallers = Executors.newFixedThreadPool(THREADS);
    for (int t = 0; t < THREADS; t++) {
      signallers.execute(() -> {
        for (int i = 0; i < SIGNALS_PER_THREAD; i++) {
          published.incrementAndGet();
          runner.signal();
        }
        done.countDown();
      });
    }
    assertTrue(done.await(30, TimeUnit.SECONDS));
    // Every value published before a signal is seen by a later run.
    CountDownLatch last = new CountDownLatch(1);
    SerialRunner probe = new SerialRunner(pool, last::countDown, "probe");
    probe.signal();
    assertTrue(last.await(30, TimeUnit.SECONDS));
    pool.shutdown();
    assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
    signallers.shutdown();
    assertEquals(0, overlaps.get());
    assertEquals((long) THREADS * SIGNALS_PER_THREAD, seen.get());
  }

  @Test
  void runsInlineWhenThePoolIsStopped() {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    pool.shutdown();
    AtomicInteger runs = new AtomicInteger();
    new SerialRunner(pool, runs::incrementAndGet, "test").signal();
    assertEquals(1, runs.get());
  }
}
