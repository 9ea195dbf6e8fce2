package org.fingerpost.registry.tenants;

import java.io.Closeable;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.fingerpost.registry.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zuul's system configuration as the scheduler writes it to ZooKeeper ({@code zuul/zk/config_cache.py}),
 * read and watched: sequential shards {@code <root>/system/conf/0000000000, ...} that concatenate to
 * one zlib stream of JSON {@code {"unparsed_abide": {...}, "system_attributes": {...}}}, written under
 * the kazoo write lock {@code <root>/system/conf-lock}.
 *
 * <p><b>Consistency.</b> Every read takes a kazoo-compatible read lock on {@code conf-lock} (as Zuul's
 * own web and scheduler do), so Zuul's writer, which truncates and rewrites the shards under the write
 * lock, can never be seen half-way. On top of the lock, each read is checked: the stat of the shards'
 * parent (its {@code czxid} and child version) must be the same before and after reading the shards,
 * and the data must inflate and parse; otherwise the read is torn (a writer not honouring the lock, or
 * an old Zuul) and is retried, up to {@link #MAX_READ_ATTEMPTS} times.
 *
 * <p><b>States.</b> {@link #current()} is null while the configuration is <em>unknown</em> (not read
 * yet, ZooKeeper unreachable at start, data unreadable); {@link Snapshot#absent()} when ZooKeeper holds
 * no configuration node (no Zuul scheduler has written one); otherwise the parsed data. Once known, a
 * later failed read keeps the last good snapshot and logs a warning, except unreadable data, which makes
 * it unknown again.
 *
 * <p><b>Threads.</b> Reads run on one daemon thread owned by this object, triggered by ZooKeeper
 * watches on the configuration node and its shards, by reconnection, by {@link #start()}, and
 * {@link #RETRY_DELAY} after a read that failed (for example the read lock not had in time); listeners
 * are called on that thread. Thread-safe. {@link #close()} stops the thread; the registry is the
 * caller's.
 */
public final class TenantConfig implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(TenantConfig.class);

  /** Zuul's path of the system configuration, under the registry root. */
  public static final String CONF_PATH = "system/conf";
  /** Zuul's kazoo lock guarding it. */
  public static final String LOCK_PATH = "system/conf-lock";
  /** Longest wait for the read lock (Zuul holds the write lock while writing a few shards). */
  public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(30);
  /** Reads of one change tried before the data counts as unreadable. */
  public static final int MAX_READ_ATTEMPTS = 5;
  /**
   * After a failed read (read lock not had in time, ZooKeeper error) the read is tried again after this
   * long, since the change that made it may leave no watch behind.
   */
  public static final Duration RETRY_DELAY = Duration.ofSeconds(5);

  private final Registry registry;
  private final CuratorFramework curator;
  private final String confPath;
  private final Duration retryDelay;
  private final ShardReader shards;
  private final ScheduledExecutorService reader;
  private final List<Consumer<Snapshot>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean pending = new AtomicBoolean();
  private final Object monitor = new Object();
  private final ConnectionStateListener reconnect;
  private volatile Snapshot current;
  private volatile boolean closed;

  /** Parsed system configuration: the {@code unparsed_abide} object and where it came from. */
  public static final class Snapshot {
    private static final Snapshot ABSENT = new Snapshot(Map.of(), -1, true);
    private final Map<String, Object> unparsedAbide;
    private final long zxid;
    private final boolean absent;

    Snapshot(Map<String, Object> unparsedAbide, long zxid, boolean absent) {
      this.unparsedAbide = Collections.unmodifiableMap(unparsedAbide);
      this.zxid = zxid;
      this.absent = absent;
    }

    /** No configuration node in ZooKeeper: no Zuul tenant configuration exists. */
    public static Snapshot absentConfig() {
      return ABSENT;
    }

    /** Whether ZooKeeper had no configuration node. */
    public boolean absent() {
      return absent;
    }

    /**
     * Zuul's {@code unparsed_abide} as plain JSON values (maps, lists, strings, numbers, booleans):
     * {@code tenants} (name to the raw tenant dict), {@code authz_rules}, {@code api_roots}, ...
     */
    public Map<String, Object> unparsedAbide() {
      return unparsedAbide;
    }

    /** The creation zxid of the shards read (identifies the write), -1 when absent. */
    public long zxid() {
      return zxid;
    }
  }

  /** A watcher of {@code <root>/system/conf} of {@code registry}; call {@link #start()}. */
  public TenantConfig(Registry registry) {
    this(registry, LOCK_TIMEOUT, RETRY_DELAY);
  }

  /** As {@link #TenantConfig(Registry)} with another read-lock timeout and retry delay. */
  public TenantConfig(Registry registry, Duration lockTimeout, Duration retryDelay) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.curator = registry.curator();
    this.confPath = registry.path(CONF_PATH);
    this.retryDelay = retryDelay;
    this.shards = new ShardReader(curator, confPath, registry.path(LOCK_PATH), lockTimeout, this::watched);
    this.reader = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tenant-config");
      t.setDaemon(true);
      return t;
    });
    this.reconnect = (client, state) -> {
      if (state.isConnected()) {
        trigger();
      }
    };
  }

  /** Adds a listener called (on the reader thread) with each new snapshot, or null when unknown. */
  public void addListener(Consumer<Snapshot> listener) {
    listeners.add(listener);
  }

  /** Starts watching and schedules the first read. */
  public void start() {
    curator.getConnectionStateListenable().addListener(reconnect);
    trigger();
  }

  /** The last snapshot read, or null while unknown. */
  public Snapshot current() {
    return current;
  }

  /**
   * Waits until the configuration is known, at most {@code timeout}.
   *
   * @return the snapshot, or null when still unknown
   */
  public Snapshot awaitKnown(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (current == null && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(monitor, left);
      }
      return current;
    }
  }

  private void trigger() {
    if (closed || !pending.compareAndSet(false, true)) {
      return; // a read is already queued: it will see this change too
    }
    try {
      reader.execute(() -> {
        pending.set(false);
        load();
      });
    } catch (RejectedExecutionException e) {
      pending.set(false);
    }
  }

  /** A watch of the configuration node or its shards fired. */
  private void watched(WatchedEvent event) {
    if (event.getType() != Watcher.Event.EventType.None) {
      trigger();
    }
  }

  private void load() {
    if (closed) {
      return;
    }
    if (!registry.isConnected()) {
      LOG.debug("Tenant configuration not read: registry disconnected");
      return; // the reconnection triggers a read
    }
    Exception last = null;
    for (int attempt = 1; attempt <= MAX_READ_ATTEMPTS && !closed; attempt++) {
      try {
        Snapshot s = shards.read();
        if (s != null) {
          publish(s);
          return;
        }
        LOG.info("Tenant configuration changed while it was read (attempt {}); reading again", attempt);
      } catch (ConfigShards.TornReadException e) {
        last = e;
        LOG.info("Tenant configuration read was torn (attempt {}): {}; reading again", attempt, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        LOG.warn("Cannot read the tenant configuration {}: {} ({}; trying again in {} ms)", confPath, e.toString(),
            current == null ? "tenants stay closed" : "keeping the last one read", retryDelay.toMillis());
        retryLater();
        return;
      }
    }
    if (!closed) {
      LOG.error("Tenant configuration {} unreadable after {} attempts ({}); read-protected access is refused "
          + "until it is rewritten", confPath, MAX_READ_ATTEMPTS, last == null ? "changing" : last.getMessage());
      publish(null);
    }
  }

  private void retryLater() {
    try {
      reader.schedule(this::trigger, retryDelay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // closed
    }
  }

  private void publish(Snapshot s) {
    synchronized (monitor) {
      current = s;
      monitor.notifyAll();
    }
    if (s != null) {
      LOG.info("Tenant configuration {}: {}", confPath, s.absent() ? "absent (no Zuul tenant configuration)"
          : tenantCount(s) + " tenant(s), zxid " + s.zxid());
    }
    for (Consumer<Snapshot> l : listeners) {
      try {
        l.accept(s);
      } catch (RuntimeException e) {
        LOG.error("Tenant configuration listener failed", e);
      }
    }
  }

  private static int tenantCount(Snapshot s) {
    Object t = s.unparsedAbide().get("tenants");
    return t instanceof Map<?, ?> m ? m.size() : 0;
  }

  @Override
  public void close() {
    closed = true;
    curator.getConnectionStateListenable().removeListener(reconnect);
    reader.shutdownNow();
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }
}
