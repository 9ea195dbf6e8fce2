package org.fingerpost.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits until a condition holds, with a deadline: Awaitility configured once with the tests' timeout
 * and polling, so that no test writes its own poll loop or sleeps to synchronise. The test continues
 * the moment the state it needs is there; past the deadline it fails with the {@code what} it waited
 * for.
 *
 * <p>Conditions are evaluated on the calling thread (they may read state the test thread owns);
 * exceptions thrown by a condition count as "not yet" (a ZooKeeper read while the server restarts).
 * Stateless; safe from any thread.
 */
public final class Await {
  /** Longest any wait may take before the test fails (a hang fails, a slow machine still passes). */
  public static final Duration DEFAULT = Duration.ofSeconds(20);
  /** How often a condition is re-checked. */
  public static final Duration POLL_INTERVAL = Duration.ofMillis(10);

  private Await() {}

  /** Awaitility's builder with the defaults above, named {@code what} in the failure message. */
  public static ConditionFactory await(String what) {
    return Awaitility.await(what)
        .atMost(DEFAULT)
        .pollInSameThread()
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL_INTERVAL)
        .ignoreExceptions();
  }

  /** Waits until {@code condition} returns true, at most {@link #DEFAULT}. */
  public static void until(String what, Callable<Boolean> condition) {
    await(what).until(condition);
  }

  /** Waits until {@code condition} returns true, at most {@code timeout}. */
  public static void until(String what, Duration timeout, Callable<Boolean> condition) {
    await(what).atMost(timeout).until(condition);
  }

  /** Whether {@code condition} became true within {@code timeout} (false instead of a failure). */
  public static boolean within(Duration timeout, Callable<Boolean> condition) {
    try {
      await("condition").atMost(timeout).until(condition);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
    }
  }
}
