package org.fingerpost.packaging;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.fingerpost.config.Configuration;
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

  /** What a daemon command starts from its configuration; everything it opens is added to the daemon. */
  interface Starter {
    void start(Configuration file, Daemon daemon) throws Exception;
  }

  /**
   * The life of a daemon command ({@code gateway}, {@code streamer}, {@code web}): loads the
   * configuration (a bad one stops it before anything starts), starts, blocks until the JVM is asked
   * to stop, then closes everything.
   *
   * @return the exit code, 0
   */
  static int run(ConfigOption config, Starter starter) throws Exception {
    Configuration file = config.load();
    try (Daemon daemon = new Daemon()) {
      starter.start(file, daemon);
      daemon.awaitShutdown();
    }
    return 0;
  }

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
