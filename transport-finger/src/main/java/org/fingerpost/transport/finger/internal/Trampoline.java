package org.fingerpost.transport.finger.internal;

import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs continuations without growing the stack.
 *
 * <p>A producer that loops through {@code next} callbacks (read a chunk, {@code onData}, the write
 * completes at once, {@code next} reads the following chunk, ...) would recurse once per chunk and
 * overflow the stack on a large log. {@link #run} runs the task at once unless the current thread is
 * already inside {@link #run}, in which case the task is queued and run by that outer call as soon
 * as the current task returns. Tasks of one thread therefore run in submission order, one at a time.
 *
 * <p>Thread-confined: the queue is per thread; there is nothing to share.
 */
public final class Trampoline {
  private static final Logger LOG = LoggerFactory.getLogger(Trampoline.class);

  private static final ThreadLocal<Trampoline> CURRENT = ThreadLocal.withInitial(Trampoline::new);

  private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
  private boolean running;

  private Trampoline() {}

  /** Runs {@code task} now, or after the task this thread is running returns; see the class comment. */
  public static void run(Runnable task) {
    Trampoline t = CURRENT.get();
    if (t.running) {
      t.queue.add(task);
      return;
    }
    t.running = true;
    try {
      for (Runnable r = task; r != null; r = t.queue.poll()) {
        try {
          r.run();
        } catch (Throwable x) {
          LOG.warn("Continuation {} failed", r, x);
        }
      }
    } finally {
      t.running = false;
    }
  }
}
