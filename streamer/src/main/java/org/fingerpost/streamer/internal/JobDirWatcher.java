package org.fingerpost.streamer.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers the builds in an executor's job directory: a build is a directory whose name is a build
 * id ({@code [0-9A-Fa-f]+}) and that holds {@code work/logs/job-output.txt}. Reports a build when its
 * log appears and again when its log or its directory is removed.
 *
 * <p><b>How.</b> A scan on {@link #start()}, then a scan whenever the job directory changes (entries
 * created or deleted: the usual way a build starts and is cleaned up) and every {@link #SCAN_INTERVAL}
 * as a fallback; the fallback also notices a log appearing deep inside a new build directory, which
 * the job directory's own events do not show. A missing job directory is treated as empty.
 *
 * <p><b>Threads.</b> Scans run one at a time on the shared {@code executor}; the listener is called
 * from there, serially, never concurrently (the starts and ends a scan found, then {@link
 * Listener#scanDone}). It should not block for long: slow work (a registry
 * write) delays the next scan, not the log streams. The change notifications and the periodic
 * trigger come from the shared {@link FileChangeNotifier}; no thread belongs to this class.
 *
 * <p><b>Errors.</b> A scan that cannot list the directory is logged and changes nothing; an exception
 * from the listener is logged and the build still counts as reported. After {@link #close()} no new
 * scan starts (one under way may still call the listener once).
 */
public final class JobDirWatcher implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(JobDirWatcher.class);

  /** Period of the fallback scan of the job directory (seconds). */
  public static final Duration SCAN_INTERVAL = Duration.ofSeconds(1);

  /** Receives build starts and ends; see the class comment for threads. */
  public interface Listener {
    /** The log of {@code buildId} exists now (it did not at the previous scan). */
    void buildStarted(String buildId);

    /** The log or the directory of a build reported as started is gone. */
    void buildEnded(String buildId);

    /**
     * A scan has reported every start and end it found (called after every scan that could list
     * the job directory, even one that found no change).
     */
    default void scanDone() {}
  }

  private final Path jobDir;
  private final Listener listener;
  private final FileChangeNotifier notifier;
  private final Duration scanInterval;
  private final SerialRunner runner;
  /** Builds reported as started and not ended; written by scans only, readable from any thread. */
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private FileChangeNotifier.Subscription changes;
  private FileChangeNotifier.Subscription ticks;
  private volatile boolean closed;

  /** A watcher scanning every {@link #SCAN_INTERVAL}. Call {@link #start()}. */
  public JobDirWatcher(Path jobDir, Listener listener, FileChangeNotifier notifier, Executor executor) {
    this(jobDir, listener, notifier, executor, SCAN_INTERVAL);
  }

  JobDirWatcher(Path jobDir, Listener listener, FileChangeNotifier notifier, Executor executor,
      Duration scanInterval) {
    this.jobDir = Objects.requireNonNull(jobDir, "jobDir");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.notifier = Objects.requireNonNull(notifier, "notifier");
    this.scanInterval = Objects.requireNonNull(scanInterval, "scanInterval");
    this.runner = new SerialRunner(executor, this::scan, "job dir scan of " + jobDir);
  }

  /** Subscribes to changes and starts the first scan; returns at once. Call once. */
  public synchronized void start() {
    if (changes != null) {
      throw new IllegalStateException("already started");
    }
    changes = notifier.onChange(jobDir, runner::signal);
    ticks = notifier.every(scanInterval, runner::signal);
    runner.signal();
  }

  /** The builds currently reported as started; a snapshot. */
  public Set<String> builds() {
    return Collections.unmodifiableSet(new TreeSet<>(known));
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (changes != null) {
      changes.close();
      ticks.close();
    }
  }

  private void scan() {
    if (closed) {
      return;
    }
    Set<String> present = new TreeSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(jobDir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (BuildPaths.isBuildId(name) && Files.isRegularFile(BuildPaths.logFile(jobDir, name))) {
          present.add(name);
        }
      }
    } catch (NoSuchFileException e) {
      LOG.debug("Job directory {} does not exist (yet)", jobDir);
    } catch (IOException | RuntimeException e) {
      // Do not report every build as ended because of one failed listing.
      LOG.warn("Cannot scan job directory {}", jobDir, e);
      return;
    }
    List<String> ended = new ArrayList<>();
    for (String id : known) {
      if (!present.contains(id)) {
        ended.add(id);
      }
    }
    Collections.sort(ended);
    for (String id : ended) {
      if (closed) {
        return;
      }
      known.remove(id);
      LOG.info("Build {} ended (log removed)", id);
      call(() -> listener.buildEnded(id), id);
    }
    for (String id : present) {
      if (closed) {
        return;
      }
      if (known.add(id)) {
        LOG.info("Build {} started (log found)", id);
        call(() -> listener.buildStarted(id), id);
      }
    }
    call(listener::scanDone, "the end of the scan");
  }

  private static void call(Runnable r, String id) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("Build listener failed for {}", id, e);
    }
  }
}
