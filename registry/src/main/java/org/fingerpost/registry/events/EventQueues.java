package org.fingerpost.registry.events;

import java.io.Closeable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.ZooKeeper;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistryUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes events into Zuul's connection event queues ({@link ConnectionEventQueue}, one per
 * connection name) so that a Zuul scheduler consumes them unchanged, with one promise: an event whose
 * {@link ConnectionEventQueue#put put} completed normally is in ZooKeeper; an event whose put failed
 * leaves nothing behind (at once, or after ZooKeeper is reachable again).
 *
 * <p>Writes use the ZooKeeper client's asynchronous API directly, not Curator's retrying one: a
 * sequential create retried after a lost connection could enqueue the event twice. A write whose
 * outcome is unknown (connection lost with the create in flight) is failed, and after reconnecting
 * the queue is searched for its exact bytes and any copy removed ({@link Compensations}).
 *
 * <p><b>Threads and ownership.</b> Thread-safe. Owns daemon threads: one for timeouts, one for
 * blocking work (creating the queue's paths, clean-ups), {@value #COMPLETION_THREADS} completing
 * puts; {@link #close()} stops them. The {@link Registry} belongs to the caller. Futures complete
 * on a completion thread, never on ZooKeeper's event thread; dependents must not block long.
 */
public final class EventQueues implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(EventQueues.class);

  /** How long a put may take before it fails (and is cleaned up if it lands later): below GitHub's 10 s. */
  public static final Duration DEFAULT_PERSIST_TIMEOUT = Duration.ofSeconds(8);
  /** Threads completing puts (their dependents answer the senders); never ZooKeeper's event thread. */
  public static final int COMPLETION_THREADS = 4;
  /** Delay before a failed clean-up is tried again while connected. */
  static final Duration CLEANUP_RETRY = Duration.ofSeconds(1);

  private final Registry registry;
  private final Duration persistTimeout;
  private final Map<String, ConnectionEventQueue> queues = new ConcurrentHashMap<>();
  final Set<EventWrite> inFlight = ConcurrentHashMap.newKeySet();
  final ScheduledExecutorService timers;
  final ExecutorService worker;
  final ExecutorService completions;
  final Compensations compensations;
  final QueueNodeBatcher batcher;
  /** The highest czxid this writer has seen created: a lower bound for nodes created later. */
  final AtomicLong zxidFloor = new AtomicLong();
  private final ConnectionStateListener stateListener = this::onStateChanged;
  private final Object settledMonitor = new Object();
  volatile Runnable beforeQueueNode = () -> { };

  /** One create per event, as zuul-web writes them; see {@link #EventQueues(Registry, Duration, boolean)}. */
  public EventQueues(Registry registry, Duration persistTimeout) {
    this(registry, persistTimeout, false);
  }

  /**
   * @param persistTimeout how long a put may take before it fails with {@link RegistryUnavailableException}
   * @param batchWrites whether puts arriving while others are in flight share one ZooKeeper
   *     transaction ({@link QueueNodeBatcher}): far fewer requests for ZooKeeper under load, but the
   *     events of one transaction share one czxid, which Zuul's scheduler reads as their ltime (Zuul's
   *     own writer gives each event its own). False: one create per event, as zuul-web writes them.
   */
  public EventQueues(Registry registry, Duration persistTimeout, boolean batchWrites) {
    this.registry = Objects.requireNonNull(registry, "registry");
    if (persistTimeout.isNegative() || persistTimeout.isZero()) {
      throw new IllegalArgumentException("persist timeout must be positive, not " + persistTimeout);
    }
    this.persistTimeout = persistTimeout;
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("event-queue-timer"));
    // Nearly every timeout is cancelled (the write was confirmed): remove it then, rather than wake
    // the timer thread at its deadline for nothing, thousands of times a second under load.
    timer.setRemoveOnCancelPolicy(true);
    this.timers = timer;
    this.worker = Executors.newSingleThreadExecutor(daemon("event-queue-worker"));
    this.completions = Executors.newFixedThreadPool(COMPLETION_THREADS, daemon("event-queue-ack"));
    this.compensations = new Compensations(this);
    this.batcher = new QueueNodeBatcher(this, batchWrites);
    registry.curator().getConnectionStateListenable().addListener(stateListener);
  }

  /** The queue of connection {@code name} ({@code <root>/events/connection/<name>/events}). */
  public ConnectionEventQueue connection(String name) {
    return queues.computeIfAbsent(name, n -> new ConnectionEventQueue(this, n));
  }

  /**
   * Test hook: runs on the worker thread after a side channel is written and before its queue node
   * is created (for example to stop ZooKeeper at that point).
   */
  public void beforeQueueNode(Runnable hook) {
    this.beforeQueueNode = Objects.requireNonNull(hook, "hook");
  }

  /** Puts in flight plus clean-ups not yet done. */
  public int unsettled() {
    return inFlight.size() + compensations.pending();
  }

  /** Waits until no put is in flight and every clean-up is done, at most {@code timeout}. */
  public boolean awaitSettled(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (settledMonitor) {
      while (unsettled() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(settledMonitor, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
      }
      return true;
    }
  }

  void changed() {
    synchronized (settledMonitor) {
      settledMonitor.notifyAll();
    }
  }

  Registry registry() {
    return registry;
  }

  Duration persistTimeout() {
    return persistTimeout;
  }

  /** The ZooKeeper handle of the registry's client now (it changes after a session expiry). */
  ZooKeeper zooKeeper() throws RegistryUnavailableException {
    try {
      return registry.curator().getZookeeperClient().getZooKeeper();
    } catch (Exception e) {
      throw new RegistryUnavailableException("No ZooKeeper client: " + e, e);
    }
  }

  /** A Curator-relative path as the raw ZooKeeper client must name it (Curator's namespace prepended). */
  String rawPath(String path) {
    String ns = registry.curator().getNamespace();
    return ns == null || ns.isEmpty() ? path : "/" + ns + path;
  }

  /** The reverse of {@link #rawPath}. */
  String curatorPath(String raw) {
    String ns = registry.curator().getNamespace();
    return ns == null || ns.isEmpty() ? raw : raw.substring(ns.length() + 1);
  }

  private void onStateChanged(org.apache.curator.framework.CuratorFramework client, ConnectionState state) {
    if (state == ConnectionState.SUSPENDED || state == ConnectionState.LOST) {
      // Answer at once: the sender's redelivery is the retry. Late outcomes are cleaned up.
      for (EventWrite w : inFlight) {
        w.fail("ZooKeeper connection " + state.name().toLowerCase(java.util.Locale.ROOT));
      }
    } else if (state.isConnected()) {
      compensations.runSoon();
    }
  }

  @Override
  public void close() {
    registry.curator().getConnectionStateListenable().removeListener(stateListener);
    for (EventWrite w : inFlight) {
      w.fail("shutting down");
    }
    if (compensations.pending() > 0) {
      LOG.warn("{} event clean-ups not done at shutdown (Zuul removes side channel data left over after "
          + "5 minutes; see docs/web-tier.md, Webhooks)", compensations.pending());
    }
    timers.shutdownNow();
    worker.shutdown();
    completions.shutdown();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
