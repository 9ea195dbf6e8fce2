package org.fingerpost.webapp;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, checking it every few milliseconds (like Awaitility). */
final class Await {
  static final Duration DEFAULT = Duration.ofSeconds(20);
  private static final long CHECK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private Await() {}

  static void until(String what, BooleanSupplier condition) {
    until(what, DEFAULT, condition);
  }

  static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + timeout + " waiting for: " + what);
      }
      LockSupport.parkNanos(CHECK_EVERY_NANOS);
    }
  }
}
