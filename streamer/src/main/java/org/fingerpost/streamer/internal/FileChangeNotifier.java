package org.fingerpost.streamer.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells followers that something may have changed in a directory, without a thread per follower.
 *
 * <p><b>Threads.</b> One instance owns exactly two threads, shared by every subscriber: the watch
 * thread, which waits on one {@link WatchService} for all watched directories, and the scheduler
 * thread, which runs the poll tick every {@code pollInterval} and the tasks given to {@link #every}.
 * Listeners run on those threads and must be quick and must not block: they only signal their owner
 * (for example {@link SerialRunner#signal()}).
 *
 * <p><b>Why both.</b> Change events give low latency; the poll tick is the fallback for file systems
 * that do not deliver events (NFS, some container overlays) and for events lost to an overflow or
 * to a directory that was not there yet when it was registered. Listeners treat both as a hint to
 * re-check, never as proof of a change.
 *
 * <p><b>Ownership.</b> Directory registrations are reference counted: the first {@link #onChange}
 * for a directory registers it with the watch service, closing the last subscription cancels it.
 * A directory that cannot be registered (missing, or another file system) is retried on every poll
 * tick. {@link #close()} stops both threads; subscriptions then simply stop firing.
 *
 * <p>Thread-safe.
 */
public final class FileChangeNotifier implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(FileChangeNotifier.class);

  /** Default period of the poll tick (milliseconds); the latency bound where events are not delivered. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

  /** A subscription; closing it is idempotent and stops further calls (other than one under way). */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  private final Duration pollInterval;
  private final WatchService watchService; // null: events unavailable, poll only
  private final Thread watchThread;
  private final ScheduledExecutorService scheduler;
  private final CopyOnWriteArrayList<Runnable> pollListeners = new CopyOnWriteArrayList<>();
  private final WatchedDirectories directories;
  private volatile boolean closed;

  private FileChangeNotifier(Duration pollInterval, WatchService watchService) {
    this.pollInterval = pollInterval;
    this.watchService = watchService;
    this.directories = new WatchedDirectories(watchService);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fingerpost-file-poll"));
    this.watchThread = watchService == null ? null : daemon(this::watchLoop, "fingerpost-file-watch");
  }

  /**
   * Creates the notifier and starts its two threads.
   *
   * @param pollInterval period of the fallback poll tick; positive
   */
  public static FileChangeNotifier start(Duration pollInterval) {
    requirePositive(pollInterval);
    WatchService ws;
    try {
      ws = java.nio.file.FileSystems.getDefault().newWatchService();
    } catch (IOException | UnsupportedOperationException e) {
      // For example the inotify instance limit is reached: still correct, only slower.
      LOG.warn("No file change notifications ({}); polling every {} ms only", e.toString(),
          pollInterval.toMillis());
      ws = null;
    }
    return start(pollInterval, ws);
  }

  /**
   * A notifier without change events, as on a file system that delivers none; for tests of the
   * poll fallback.
   */
  static FileChangeNotifier startPollingOnly(Duration pollInterval) {
    return start(pollInterval, null);
  }

  private static FileChangeNotifier start(Duration pollInterval, WatchService ws) {
    requirePositive(pollInterval);
    FileChangeNotifier n = new FileChangeNotifier(pollInterval, ws);
    if (n.watchThread != null) {
      n.watchThread.start();
    }
    long periodNanos = pollInterval.toNanos();
    n.scheduler.scheduleWithFixedDelay(n::pollTick, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    return n;
  }

  public Duration pollInterval() {
    return pollInterval;
  }

  /**
   * Calls {@code listener} whenever an entry of {@code directory} is created, modified or deleted,
   * and when the directory itself goes away. The directory need not exist yet.
   */
  public Subscription onChange(Path directory, Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    Path dir = canonical(directory);
    // A wrapper per subscription, so that the same Runnable subscribed twice is removed once.
    Runnable entry = listener::run;
    directories.subscribe(dir, entry);
    return once(() -> directories.unsubscribe(dir, entry));
  }

  /** Calls {@code listener} on every poll tick, on the scheduler thread. */
  public Subscription onPoll(Runnable listener) {
    Runnable entry = Objects.requireNonNull(listener, "listener")::run;
    pollListeners.add(entry);
    return once(() -> pollListeners.remove(entry));
  }

  /** Runs {@code task} every {@code period} (first run after one period) on the scheduler thread. */
  public Subscription every(Duration period, Runnable task) {
    long nanos = period.toNanos();
    ScheduledFuture<?> f = scheduler.scheduleWithFixedDelay(() -> runQuietly(task, "periodic task"),
        nanos, nanos, TimeUnit.NANOSECONDS);
    return once(() -> f.cancel(false));
  }

  /** Number of directories currently registered for change events; for tests and metrics. */
  int watchedDirectories() {
    return directories.registered();
  }

  /** Whether change events are available at all (false: poll only). */
  public boolean hasChangeEvents() {
    return watchService != null;
  }

  @Override
  public void close() {
    closed = true;
    scheduler.shutdownNow();
    if (watchService != null) {
      try {
        watchService.close(); // wakes the watch thread with ClosedWatchServiceException
      } catch (IOException e) {
        LOG.debug("Closing the watch service failed", e);
      }
    }
    directories.close();
  }

  private void watchLoop() {
    try {
      while (!closed) {
        directories.fire(watchService.take());
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      LOG.debug("Watch thread stopping");
    } catch (RuntimeException | Error e) {
      LOG.error("Watch thread failed; continuing with polling only", e);
    }
  }

  private void pollTick() {
    for (Runnable r : pollListeners) {
      runQuietly(r, "poll listener");
    }
    directories.retryUnregistered();
  }

  private static void requirePositive(Duration pollInterval) {
    if (pollInterval.isZero() || pollInterval.isNegative()) {
      throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
    }
  }

  private static Path canonical(Path dir) {
    try {
      // The watch service keys on the inode: two spellings of one directory must share one entry.
      return dir.toRealPath();
    } catch (IOException e) {
      return dir.toAbsolutePath().normalize();
    }
  }

  private static Subscription once(Runnable action) {
    AtomicBoolean done = new AtomicBoolean();
    return () -> {
      if (done.compareAndSet(false, true)) {
        action.run();
      }
    };
  }

  static void runQuietly(Runnable r, String what) {
    try {
      r.run();
    } catch (RuntimeException | Error e) {
      LOG.error("A {} failed", what, e);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
