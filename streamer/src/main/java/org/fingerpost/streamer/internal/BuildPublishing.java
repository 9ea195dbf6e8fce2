package org.fingerpost.streamer.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
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
 * <p><b>Pipelined.</b> Creates are sent without waiting for each answer ({@link
 * BuildPublisher#publishInBackground}); with {@link #PUBLISH_WINDOW} unanswered the scan waits for
 * the oldest before it sends more, and the end of each scan waits (at most {@link BuildPublisher#INITIAL_CREATE_TIMEOUT}) until they are
 * confirmed. So a streamer that starts (or restarts after {@code kill -9}) next to many builds
 * publishes them all in about one ZooKeeper round trip per window instead of one per build. A
 * create not confirmed in time goes on in the background, as do creates while ZooKeeper is away.
 *
 * <p><b>Threads and ownership.</b> Owns the watcher, the thread and the publisher; {@link #close}
 * once, from the streamer's close: it waits for the creates under way (so none lands after it), then
 * removes every node.
 */
public final class BuildPublishing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BuildPublishing.class);

  /** Build node creates the scan sends before it waits for the oldest answer (builds). */
  public static final int PUBLISH_WINDOW = 100;

  private final BuildPublisher publisher;
  private final ExecutorService buildPool;
  private final JobDirWatcher watcher;
  private final Duration shutdownTimeout;
  private final long startNanos = System.nanoTime();
  /** Builds whose create is sent and not confirmed yet, oldest first: the build thread, then close. */
  private final BlockingDeque<String> pending = new LinkedBlockingDeque<>();

  /**
   * Starts the first scan of {@code jobDir} (in the background).
   *
   * @param shutdownTimeout how long {@link #close} waits for registry updates under way
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

  /** The builds found in the job directory and published (their nodes written or being written). */
  public Set<String> published() {
    return publisher.published();
  }

  /** Stops watching, lets the updates under way finish, then removes the build nodes. */
  @Override
  public void close() {
    watcher.close();
    buildPool.shutdown();
    long deadline = System.nanoTime() + shutdownTimeout.toNanos();
    try {
      // Let a publish/remove under way finish, so no node is created after the publisher is closed.
      if (!buildPool.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("A registry update is still under way after {} s; removing build nodes anyway",
            shutdownTimeout.toSeconds());
      } else {
        int left = awaitPending(deadline);
        if (left > 0) {
          LOG.warn("{} build node creates are still under way after {} s; removing build nodes anyway",
              left, shutdownTimeout.toSeconds());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    publisher.close();
  }

  /**
   * Waits for the pending creates, oldest first, until {@code deadline} ({@link System#nanoTime});
   * those not confirmed by then go on in the background.
   *
   * @return how many were not confirmed
   */
  private int awaitPending(long deadline) throws InterruptedException {
    int left = 0;
    for (String id = pending.pollFirst(); id != null; id = pending.pollFirst()) {
      // Past the deadline each check is instant: it only counts what is still unconfirmed.
      if (!publisher.awaitPublished(id, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        left++;
      }
    }
    return left;
  }

  /** Runs on the single build thread. */
  private final class Listener implements JobDirWatcher.Listener {
    private boolean firstScanDone;
    private int startedThisScan;
    /** Creates of this scan given up on when the window was full. */
    private int lateThisScan;

    @Override
    public void buildStarted(String buildId) {
      try {
        publisher.publishInBackground(buildId);
      } catch (IllegalStateException e) {
        LOG.debug("Not publishing build {}: shutting down", buildId);
        return;
      }
      startedThisScan++;
      pending.addLast(buildId);
      if (pending.size() >= PUBLISH_WINDOW) {
        String oldest = pending.pollFirst();
        try {
          if (oldest != null && !publisher.awaitPublished(oldest, BuildPublisher.INITIAL_CREATE_TIMEOUT)) {
            LOG.debug("Build {} is not published yet; continuing in the background", oldest);
            lateThisScan++;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void buildEnded(String buildId) {
      publisher.remove(buildId);
    }

    @Override
    public void scanDone() {
      int started = startedThisScan;
      int left = lateThisScan;
      startedThisScan = 0;
      lateThisScan = 0;
      try {
        left += awaitPending(System.nanoTime() + BuildPublisher.INITIAL_CREATE_TIMEOUT.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (left > 0) {
        LOG.info("{} of {} build nodes are not written yet (ZooKeeper slower than {} ms, or away); "
            + "continuing in the background", left, started, BuildPublisher.INITIAL_CREATE_TIMEOUT.toMillis());
      }
      if (!firstScanDone) {
        firstScanDone = true;
        LOG.info("Published {} of the {} builds found at start in {} ms", started - left, started,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
      }
    }
  }
}
