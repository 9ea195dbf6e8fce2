package org.fingerpost.streamer.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task on a shared executor on demand, never concurrently with itself: the lock-free
 * "work in progress" counter pattern. Every {@link #signal()} is followed by at least one run of the
 * task that starts after the signal, so a state change made before signalling is always seen; many
 * signals during a run coalesce into one more run.
 *
 * <p>This is how a stream does its work without owning a thread: the task runs on the pool only while
 * there is something to do. Runs of the task are ordered (each happens-before the next), so state
 * touched only by the task needs no further synchronisation.
 *
 * <p>Fairness: after {@link #MAX_RUNS_PER_TURN} consecutive runs the task is resubmitted to the pool
 * instead of looping, so one busy stream cannot hold a pool thread while others wait.
 *
 * <p>If the executor rejects the task (it was shut down), the task runs on the signalling thread so
 * that it can still release what it holds.
 */
final class SerialRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SerialRunner.class);

  /** Consecutive runs of the task on one pool turn before it yields the thread (count). */
  static final int MAX_RUNS_PER_TURN = 16;

  private final AtomicInteger wip = new AtomicInteger();
  private final Executor executor;
  private final Runnable task;
  private final String name;

  SerialRunner(Executor executor, Runnable task, String name) {
    this.executor = executor;
    this.task = task;
    this.name = name;
  }

  /** Asks for a run of the task; cheap, non-blocking, callable from any thread. */
  void signal() {
    if (wip.getAndIncrement() == 0) {
      try {
        executor.execute(() -> drain(1));
      } catch (RejectedExecutionException e) {
        // No drain is under way (the counter was 0), so running here keeps the task serial.
        drain(1);
      }
    }
  }

  private void drain(int initialMissed) {
    int missed = initialMissed;
    int runs = 0;
    while (true) {
      try {
        task.run();
      } catch (RuntimeException | Error e) {
        // The task guards its own errors; this only keeps a bug from wedging the counter forever.
        LOG.error("Unexpected failure in {}", name, e);
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
      if (++runs >= MAX_RUNS_PER_TURN) {
        int carried = missed;
        try {
          executor.execute(() -> drain(carried));
          return;
        } catch (RejectedExecutionException e) {
          runs = 0; // pool stopped: keep going here
        }
      }
    }
  }
}
