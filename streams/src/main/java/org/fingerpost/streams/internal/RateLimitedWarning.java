package org.fingerpost.streams.internal;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A WARN line that a client can trigger at will (a refused route, say), logged at most once per
 * interval with the count of the ones left out since, so that a client repeating a bad request cannot
 * flood the log. Thread-safe; the lines go to the owner's logger. Not API.
 */
public final class RateLimitedWarning {
  /** The default interval between two lines of one warning. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  private final Logger log;
  private final long intervalNanos;
  /** {@link System#nanoTime()} before which lines are left out; starts in the past. */
  private final AtomicLong quietUntil;
  private final AtomicLong leftOut = new AtomicLong();

  public RateLimitedWarning(Logger log, Duration interval) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
    this.quietUntil = new AtomicLong(System.nanoTime() - intervalNanos);
  }

  /** Logs {@code message} at WARN unless one was logged within the interval (then DEBUG). */
  public void warn(String message) {
    long now = System.nanoTime();
    long until = quietUntil.get();
    if (now - until >= 0 && quietUntil.compareAndSet(until, now + intervalNanos)) {
      long skipped = leftOut.getAndSet(0);
      log.warn(skipped == 0 ? message : message + " (and " + skipped + " more like it left out since the last)");
    } else {
      leftOut.incrementAndGet();
      log.debug(message);
    }
  }
}
