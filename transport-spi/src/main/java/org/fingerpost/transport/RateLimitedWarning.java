package org.fingerpost.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A WARN line that a client can trigger at will (a refused route, a refused connection or handshake, a
 * routing fallback), logged at most once per interval with the count of the ones left out since, so
 * that a client repeating a bad request cannot flood the log. Shared by every module (it lives in the
 * SPI, the one module below all of them, and so takes the logger's two levels as functions: the SPI
 * depends on nothing but the JDK). Thread-safe; the lines go to the owner's logger.
 */
public final class RateLimitedWarning {
  /** The default interval between two lines of one warning. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  private final Consumer<String> warn;
  private final Consumer<String> debug;
  private final long intervalNanos;
  /** {@link System#nanoTime()} before which lines are left out; starts in the past. */
  private final AtomicLong quietUntil;
  private final AtomicLong leftOut = new AtomicLong();

  /**
   * @param warn the owner's WARN level, for example {@code LOG::warn} of an SLF4J logger
   * @param debug the owner's DEBUG level, which gets the lines left out
   */
  public RateLimitedWarning(Consumer<String> warn, Consumer<String> debug, Duration interval) {
    this.warn = Objects.requireNonNull(warn, "warn");
    this.debug = Objects.requireNonNull(debug, "debug");
    this.intervalNanos = interval.toNanos();
    this.quietUntil = new AtomicLong(System.nanoTime() - intervalNanos);
  }

  /** Logs {@code message} at WARN unless one was logged within the interval (then DEBUG). */
  public void warn(String message) {
    long now = System.nanoTime();
    long until = quietUntil.get();
    if (now - until >= 0 && quietUntil.compareAndSet(until, now + intervalNanos)) {
      long skipped = leftOut.getAndSet(0);
      warn.accept(skipped == 0 ? message : message + " (and " + skipped + " more like it left out since the last)");
    } else {
      leftOut.incrementAndGet();
      debug.accept(message);
    }
  }
}
