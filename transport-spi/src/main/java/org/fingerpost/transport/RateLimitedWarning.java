package org.fingerpost.transport;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A WARN line that a client can trigger at will (a refused route, connection, handshake or websocket
 * origin, a routing fallback), logged at most {@code lines} times per interval with the count of the
 * ones left out since, so that a client repeating a bad request cannot flood the log. Shared by every
 * module (it lives in the SPI, the one module below all of them, and so takes the logger's two levels
 * as functions: the SPI depends on nothing but the JDK). Thread-safe (a short lock per line); the
 * lines go to the owner's logger.
 */
public final class RateLimitedWarning {
  /** The default interval between two lines of one warning. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  private final Consumer<String> warn;
  private final Consumer<String> debug;
  private final long intervalNanos;
  private final int lines;
  /** {@link System#nanoTime()} at which the current interval began. */
  private long windowStart;
  private int logged;
  private long leftOut;

  /**
   * One line per interval.
   *
   * @param warn the owner's WARN level, for example {@code LOG::warn} of an SLF4J logger
   * @param debug the owner's DEBUG level, which gets the lines left out
   */
  public RateLimitedWarning(Consumer<String> warn, Consumer<String> debug, Duration interval) {
    this(warn, debug, interval, 1);
  }

  /** As the other constructor, with up to {@code lines} WARN lines per interval (at least 1). */
  public RateLimitedWarning(Consumer<String> warn, Consumer<String> debug, Duration interval, int lines) {
    if (lines < 1) {
      throw new IllegalArgumentException("lines must be at least 1, not " + lines);
    }
    this.warn = Objects.requireNonNull(warn, "warn");
    this.debug = Objects.requireNonNull(debug, "debug");
    this.intervalNanos = interval.toNanos();
    this.lines = lines;
    this.windowStart = System.nanoTime() - intervalNanos;
  }

  /** Logs {@code message} at WARN unless the interval's lines were used up (then DEBUG). */
  public void warn(String message) {
    long skipped;
    synchronized (this) {
      long now = System.nanoTime();
      if (now - windowStart >= intervalNanos) {
        windowStart = now;
        logged = 0;
      }
      if (logged >= lines) {
        leftOut++;
        skipped = -1;
      } else {
        logged++;
        skipped = leftOut;
        leftOut = 0;
      }
    }
    if (skipped < 0) {
      debug.accept(message);
    } else {
      warn.accept(skipped == 0 ? message : message + " (and " + skipped + " more like it left out since the last)");
    }
  }
}
