package org.fingerpost.webapp.auth;

import java.io.Closeable;
import java.time.Duration;

/**
 * Where the current {@link AccessRules} come from: Zuul's ZooKeeper ({@link ZooKeeperRules}) or a file
 * ({@link FileRules}). Implementations are thread-safe; {@link #current()} never blocks.
 */
public interface RulesSource extends Closeable {
  /** The rules in force, or null while they are unknown (then protected data must not be served). */
  AccessRules current();

  /** Waits at most {@code timeout} for known rules; null if still unknown. */
  AccessRules await(Duration timeout) throws InterruptedException;

  @Override
  default void close() {}
}
