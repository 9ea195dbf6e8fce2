package org.fingerpost.packaging;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The components a command started, closed in reverse order on shutdown (SIGINT/SIGTERM) so that
 * components are marked stopped and removed from the registry before the registry closes.
 */
final class Daemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** Keeps {@code component} to close at shutdown, and returns it. */
  <T extends AutoCloseable> T add(T component) {
    synchronized (started) {
      started.push(component);
    }
    return component;
  }

  /** Blocks until the JVM is asked to stop, then closes everything. */
  void awaitShutdown() throws InterruptedException {
    Thread hook = new Thread(() -> {
      close();
      stopped.countDown();
    }, "fingerpost-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    stopped.await();
  }

  @Override
  public void close() {
    while (true) {
      AutoCloseable next;
      synchronized (started) {
        next = started.poll();
      }
      if (next == null) {
        return;
      }
      try {
        next.close();
      } catch (Exception e) {
        LOG.warn("Closing {} failed", next, e);
      }
    }
  }
}
