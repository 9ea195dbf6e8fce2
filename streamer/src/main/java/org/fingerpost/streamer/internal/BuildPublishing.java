package org.fingerpost.streamer.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.fingerpost.registry.BuildPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors the job directory's builds into build nodes ({@code publish_builds}): a {@link
 * JobDirWatcher} finds builds starting and ending, and one thread of its own writes the nodes with a
 * {@link BuildPublisher}, so that a slow registry never delays log bytes.
 *
 * <p><b>Threads and ownership.</b> Owns the watcher, the thread and the publisher; {@link #close}
 * once, from the streamer's close.
 */
public final class BuildPublishing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BuildPublishing.class);

  private final BuildPublisher publisher;
  private final ExecutorService buildPool;
  private final JobDirWatcher watcher;
  private final Duration shutdownTimeout;

  /**
   * Starts the first scan of {@code jobDir} (in the background).
   *
   * @param shutdownTimeout how long {@link #close} waits for a registry update under way
   */
  public BuildPublishing(BuildPublisher publisher, Path jobDir, FileChangeNotifier notifier,
      ThreadFactory threads, Duration shutdownTimeout) {
    this.publisher = publisher;
    this.shutdownTimeout = shutdownTimeout;
    this.buildPool = Executors.newSingleThreadExecutor(threads);
    this.watcher = new JobDirWatcher(jobDir, new Listener(), notifier, buildPool);
    try {
      watcher.start();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The builds found in the job directory and published. */
  public Set<String> published() {
    return publisher.published();
  }

  /** Stops watching, lets an update under way finish, then removes the build nodes. */
  @Override
  public void close() {
    watcher.close();
    // Let a publish/remove under way finish, so no node is created after the publisher is closed.
    buildPool.shutdown();
    try {
      if (!buildPool.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("A registry update is still under way after {} s; removing build nodes anyway",
            shutdownTimeout.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    publisher.close();
  }

  /** Runs on the single build thread. */
  private final class Listener implements JobDirWatcher.Listener {
    @Override
    public void buildStarted(String buildId) {
      try {
        publisher.publish(buildId);
      } catch (IllegalStateException e) {
        LOG.debug("Not publishing build {}: shutting down", buildId);
      }
    }

    @Override
    public void buildEnded(String buildId) {
      publisher.remove(buildId);
    }
  }
}
