package org.fingerpost.webapp.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web node's total byte budget for websocket send buffers ({@code web.send_buffer_budget_bytes},
 * issue 15 finding 3): the log bytes of all text waiting in console-stream send queues, a piece of
 * text shared by several queues ({@link SharedText}) counted once. Past the budget the websockets with
 * the most bytes waiting, the slowest, are closed as too slow ({@link ConsoleStream#OVER_BUDGET}, code
 * 1008, from which the page reconnects at its offset) until the node is within it again: nothing is
 * dropped silently, and memory stays bounded however many viewers there are.
 *
 * <p><b>Threads.</b> Thread-safe. Holding and releasing are lock-free; closing runs on the given
 * executor, one pass at a time, never on the caller's thread.
 */
final class SendBudget {
  private static final Logger LOG = LoggerFactory.getLogger(SendBudget.class);

  private final long limitBytes;
  private final Executor executor;
  private final AtomicLong held = new AtomicLong();
  private final Set<ConsoleStream> streams = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean evicting = new AtomicBoolean();
  private final Counter closed;

  /**
   * @param limitBytes the budget, in log bytes
   * @param executor where over-budget websockets are closed (must not run tasks on the caller)
   */
  SendBudget(long limitBytes, Executor executor, MeterRegistry meters) {
    if (limitBytes <= 0) {
      throw new IllegalArgumentException("send buffer budget must be positive: " + limitBytes);
    }
    this.limitBytes = limitBytes;
    this.executor = executor;
    meters.gauge("fingerpost.web.send.buffered.bytes", held);
    this.closed = Counter.builder("fingerpost.web.send.budget.closed")
        .description("Websockets closed because the node's send buffers were over budget").register(meters);
  }

  /** A budget of {@code limitBytes} that never closes anything (for queues outside a node). */
  static SendBudget unlimited() {
    return new SendBudget(Long.MAX_VALUE, Runnable::run, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }

  void register(ConsoleStream stream) {
    streams.add(stream);
  }

  void unregister(ConsoleStream stream) {
    streams.remove(stream);
  }

  void hold(long bytes) {
    if (held.addAndGet(bytes) > limitBytes && evicting.compareAndSet(false, true)) {
      try {
        executor.execute(this::evict);
      } catch (RejectedExecutionException e) {
        evicting.set(false); // the node is stopping; the next hold tries again
      }
    }
  }

  void release(long bytes) {
    held.addAndGet(-bytes);
  }

  /** Log bytes held in send buffers now. */
  long heldBytes() {
    return held.get();
  }

  long limitBytes() {
    return limitBytes;
  }

  /** Websockets closed for the budget so far. */
  long closedCount() {
    return (long) closed.count();
  }

  /** Closes the slowest websockets until the node is within its budget. */
  private void evict() {
    try {
      while (held.get() > limitBytes) {
        ConsoleStream slowest = streams.stream().max(Comparator.comparingLong(ConsoleStream::queuedBytes))
            .orElse(null);
        if (slowest == null || slowest.queuedBytes() == 0) {
          break;
        }
        streams.remove(slowest);
        closed.increment();
        LOG.info("Send buffers over the budget of {} bytes ({} held): closing the slowest websocket ({} bytes waiting)",
            limitBytes, held.get(), slowest.queuedBytes());
        slowest.overBudget();
      }
    } finally {
      // A hold that came while this pass ended is seen again at the next hold.
      evicting.set(false);
    }
  }
}
