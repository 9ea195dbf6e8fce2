package org.fingerpost.streamer.internal;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories of a {@link FileChangeNotifier} and their change listeners, registered with its
 * {@link WatchService} by reference count: the first listener of a directory registers it, the last
 * one to leave cancels it. A directory that cannot be registered (missing, or on another file system)
 * is retried by {@link #retryUnregistered}.
 *
 * <p><b>Threads.</b> Thread-safe: the maps change under {@code this}; {@link #fire} runs on the
 * notifier's watch thread and reads without the lock. Listeners never run under the lock.
 */
final class WatchedDirectories {
  private static final Logger LOG = LoggerFactory.getLogger(WatchedDirectories.class);

  private final WatchService watchService; // null: events unavailable, poll only
  /** Guarded by {@code this}: the directories with at least one listener. */
  private final Map<Path, Watched> watched = new HashMap<>();
  /** Read by the watch thread without the lock. */
  private final Map<WatchKey, Watched> byKey = new ConcurrentHashMap<>();
  private volatile boolean closed;

  WatchedDirectories(WatchService watchService) {
    this.watchService = watchService;
  }

  /** Adds {@code entry} as a listener of {@code dir} (canonical), registering the directory if new. */
  synchronized void subscribe(Path dir, Runnable entry) {
    Watched w = watched.computeIfAbsent(dir, Watched::new);
    w.listeners.add(entry);
    if (!w.isRegistered()) {
      register(w);
    }
  }

  synchronized void unsubscribe(Path dir, Runnable entry) {
    Watched w = watched.get(dir);
    if (w == null || !w.listeners.remove(entry) || !w.listeners.isEmpty()) {
      return;
    }
    watched.remove(dir);
    if (w.key != null) {
      byKey.remove(w.key);
      w.key.cancel();
    }
  }

  /** Number of directories currently registered for change events. */
  synchronized int registered() {
    return (int) watched.values().stream().filter(Watched::isRegistered).count();
  }

  /** A key the watch service signalled: tells that directory's listeners to look. */
  void fire(WatchKey key) {
    key.pollEvents(); // which entry changed does not matter: listeners re-check their own file
    boolean valid = key.reset();
    Watched w = byKey.get(key);
    if (w == null) {
      return;
    }
    if (!valid) {
      // The directory is gone (or was unregistered): drop the key so a poll tick can re-register.
      synchronized (this) {
        byKey.remove(key);
        if (w.key == key) {
          w.key = null;
        }
      }
    }
    w.fire();
  }

  /** Registers the directories that exist now but were not registered, and tells their listeners. */
  void retryUnregistered() {
    List<Watched> retry = new ArrayList<>();
    synchronized (this) {
      for (Watched w : watched.values()) {
        if (!w.isRegistered() && Files.isDirectory(w.dir) && register(w)) {
          retry.add(w);
        }
      }
    }
    // Events before the registration were missed: tell the listeners to look once.
    retry.forEach(Watched::fire);
  }

  /** Forgets every directory; nothing is registered afterwards. */
  synchronized void close() {
    closed = true;
    watched.clear();
    byKey.clear();
  }

  /** Registers {@code w} with the watch service if possible; called with the lock held. */
  private boolean register(Watched w) {
    if (watchService == null || closed) {
      return false;
    }
    try {
      WatchKey key = w.dir.register(watchService, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
      w.key = key;
      byKey.put(key, w);
      return true;
    } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
      LOG.debug("Not watching {} yet: {}", w.dir, e.toString());
    } catch (IOException | RuntimeException e) {
      // ProviderMismatchException (other file system), inotify watch limit, ...: poll covers it.
      LOG.debug("Cannot watch {}: {}", w.dir, e.toString());
    }
    return false;
  }

  /** One watched directory and its listeners. */
  private static final class Watched {
    final Path dir;
    final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** Guarded by the lock for writes; null when not registered. */
    volatile WatchKey key;

    Watched(Path dir) {
      this.dir = dir;
    }

    boolean isRegistered() {
      WatchKey k = key;
      return k != null && k.isValid();
    }

    void fire() {
      for (Runnable r : listeners) {
        FileChangeNotifier.runQuietly(r, "change listener for " + dir);
      }
    }
  }
}
