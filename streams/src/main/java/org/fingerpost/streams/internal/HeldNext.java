package org.fingerpost.streams.internal;

/**
 * An upstream's {@code next}, held while none of its riders has room and run once one has: how a
 * {@link SharedUpstream} waits for its fastest rider. Thread-safe; {@code next} runs with no lock held.
 */
final class HeldNext {
  private Runnable held;

  /** Holds {@code next} until {@link #release}. */
  synchronized void hold(Runnable next) {
    held = next;
  }

  /** Runs the held {@code next}, if any, once. */
  void release() {
    Runnable next;
    synchronized (this) {
      next = held;
      held = null;
    }
    if (next != null) {
      next.run();
    }
  }
}
