package org.fingerpost.transport.finger.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actions to run once when an exchange ends ({@link
 * org.fingerpost.transport.finger.FingerExchange#onClose}): each runs exactly once, an action added
 * after the end runs at once, and one that throws is logged without stopping the others.
 *
 * <p><b>Threads.</b> Not thread-safe: {@link #add} and {@link #take} are called under the owner's lock;
 * {@link #run} and {@link #runNow} outside it, so that no action runs while the lock is held.
 */
final class CloseActions {
  private static final Logger LOG = LoggerFactory.getLogger(CloseActions.class);

  private final String owner;
  /** Pending actions; null once they were taken. */
  private List<Runnable> pending = new ArrayList<>(2);

  /** @param owner names the server in the warning an action's failure logs */
  CloseActions(String owner) {
    this.owner = owner;
  }

  /** Keeps {@code action} for the end; returns false if the end was already taken (run it now). */
  boolean add(Runnable action) {
    Objects.requireNonNull(action, "action");
    if (pending == null) {
      return false;
    }
    pending.add(action);
    return true;
  }

  /** The pending actions, the first time only (null afterwards): the caller runs them. */
  List<Runnable> take() {
    List<Runnable> actions = pending;
    pending = null;
    return actions;
  }

  /** Runs {@code actions} (from {@link #take}; null is none), each isolated from the others' failures. */
  void run(List<Runnable> actions) {
    if (actions != null) {
      for (Runnable action : actions) {
        runNow(action);
      }
    }
  }

  void runNow(Runnable action) {
    try {
      action.run();
    } catch (Throwable x) {
      LOG.warn("{}: close action failed", owner, x);
    }
  }
}
