package org.fingerpost.registry.internal;

import java.io.Closeable;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.TreeCache;
import org.apache.curator.framework.recipes.cache.TreeCacheEvent;
import org.apache.curator.framework.recipes.cache.TreeCacheSelector;
import org.apache.curator.utils.ZKPaths;
import org.fingerpost.registry.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A watch-fed copy of the build request nodes only: {@code <root>/executor/unzoned/requests/*} and
 * {@code <root>/executor/zones/<zone>/requests/*}. Zuul keeps much more under {@code executor} (locks,
 * job parameters, result data, possibly megabytes), which a whole-tree {@code CuratorCache} would copy
 * and watch; {@code CuratorCache} has no selector, so this uses {@link TreeCache} with a {@link
 * TreeCacheSelector} that descends only into the request queues.
 *
 * <p><b>Authority.</b> The copy is {@linkplain #isAuthoritative() authoritative} (a node missing from it
 * is missing from ZooKeeper, as far as watches can tell) from its first complete fill until the
 * connection is suspended or lost. After a reconnection the old copy keeps answering hits while a new
 * copy fills in the background ({@code TreeCache} gives no signal when its own refresh after a
 * reconnection is complete, a new one does); the new copy takes over, authoritative again, once full.
 *
 * <p>Thread-safe. Reads never touch ZooKeeper. Not API.
 */
@SuppressWarnings("deprecation") // TreeCache: the only Curator cache with a selector (see above)
public final class RequestTreeCache implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(RequestTreeCache.class);

  private final CuratorFramework curator;
  private final String executorDir;
  /** Starts the copies made after a reconnection (not on a cache's own event thread). */
  private final ExecutorService refills;
  private final CountDownLatch firstFill = new CountDownLatch(1);
  /** The copy answering reads: the first one, later the newest full one. Guarded by this for writes. */
  private volatile Copy serving;
  /** A copy filling after a reconnection, null when none. Guarded by this. */
  private Copy filling;
  private volatile boolean authoritative;
  private boolean closed;

  public RequestTreeCache(Registry registry) {
    this.curator = registry.curator();
    this.executorDir = registry.path("executor");
    this.refills = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "request-cache-refill");
      t.setDaemon(true);
      return t;
    });
    this.serving = new Copy();
  }

  /** Starts watching; the copy fills in the background. */
  public void start() throws Exception {
    serving.cache.start();
  }

  /** Waits up to {@code millis} for the first full copy; returns whether it is complete. */
  public boolean awaitInitialized(long millis) throws InterruptedException {
    return firstFill.await(millis, TimeUnit.MILLISECONDS);
  }

  /** Whether a full copy answers hits (perhaps a stale one while a refill is under way). */
  public boolean isInitialized() {
    return firstFill.getCount() == 0;
  }

  /**
   * Whether a miss in the copy may be answered as "no such build" without asking ZooKeeper: a full
   * copy, connected since it was filled (see the class comment).
   */
  public boolean isAuthoritative() {
    return authoritative && isInitialized();
  }

  /** The data of a cached node, or null when the copy has no such node. */
  public byte[] data(String path) {
    ChildData d = serving.cache.getCurrentData(path);
    return d == null ? null : d.getData();
  }

  /**
   * Every request node in the copy: its path, data and creation time (milliseconds since the epoch),
   * the unzoned queue's first, then each zone's.
   */
  public java.util.List<ChildData> requestNodes() {
    TreeCache cache = serving.cache;
    java.util.List<ChildData> out = new java.util.ArrayList<>();
    addChildren(cache, ZKPaths.makePath(executorDir, "unzoned", "requests"), out);
    for (String zone : zones(cache)) {
      addChildren(cache, ZKPaths.makePath(executorDir, "zones", zone, "requests"), out);
    }
    return out;
  }

  private static void addChildren(TreeCache cache, String dir, java.util.List<ChildData> out) {
    Map<String, ChildData> children = cache.getCurrentChildren(dir);
    if (children != null) {
      children.values().stream().filter(d -> d.getData() != null).forEach(out::add);
    }
  }

  /** The zone names under {@code executor/zones} in the copy. */
  public Iterable<String> zones() {
    return zones(serving.cache);
  }

  private Iterable<String> zones(TreeCache cache) {
    Map<String, ChildData> children = cache.getCurrentChildren(ZKPaths.makePath(executorDir, "zones"));
    return children == null ? java.util.List.of() : children.keySet();
  }

  @Override
  public void close() {
    Copy a;
    Copy b;
    synchronized (this) {
      closed = true;
      authoritative = false;
      a = serving;
      b = filling;
      filling = null;
    }
    refills.shutdownNow();
    a.cache.close();
    if (b != null) {
      b.cache.close();
    }
  }

  private synchronized void onEvent(Copy copy, TreeCacheEvent.Type type) {
    if (closed) {
      return;
    }
    switch (type) {
      case INITIALIZED -> filled(copy);
      case CONNECTION_SUSPENDED, CONNECTION_LOST -> {
        if (copy == serving) {
          authoritative = false;
        }
      }
      case CONNECTION_RECONNECTED -> {
        if (copy == serving && filling == null && isInitialized()) {
          // Misses go to ZooKeeper until a fresh copy is complete: this one may have missed changes.
          authoritative = false;
          Copy fresh = new Copy();
          filling = fresh;
          refills.execute(() -> startQuietly(fresh));
        }
      }
      default -> { }
    }
  }

  private void filled(Copy copy) {
    if (copy == serving && isInitialized()) {
      return; // an old copy's late signal
    }
    if (copy == filling) {
      Copy old = serving;
      serving = copy;
      filling = null;
      old.cache.close(); // does not wait for the old copy's threads; it runs on the new copy's
      LOG.debug("Build request cache of {} refilled after a reconnection", executorDir);
    } else if (copy != serving) {
      return;
    }
    authoritative = curator.getZookeeperClient().isConnected();
    firstFill.countDown();
    LOG.debug("Build request cache of {} initialized", executorDir);
  }

  private void startQuietly(Copy copy) {
    try {
      copy.cache.start();
    } catch (Exception e) {
      LOG.warn("Cannot refill the build request cache of {} ({}); misses are read from ZooKeeper", executorDir,
          e.toString());
    }
  }

  /** One {@link TreeCache} of the request queues and its listener. */
  private final class Copy {
    final TreeCache cache;

    Copy() {
      cache = TreeCache.newBuilder(curator, executorDir)
          .setSelector(new RequestsOnly())
          .setCacheData(true)
          .build();
      cache.getListenable().addListener((client, event) -> onEvent(this, event.getType()));
    }
  }

  /** Descends into executor/{unzoned,zones/<z>}/requests only. */
  private final class RequestsOnly implements TreeCacheSelector {
    @Override
    public boolean traverseChildren(String fullPath) {
      return acceptPath(fullPath) && !isRequestNode(fullPath);
    }

    @Override
    public boolean acceptChild(String fullPath) {
      return acceptPath(fullPath);
    }

    private String[] rest(String fullPath) {
      if (fullPath.equals(executorDir)) {
        return new String[0];
      }
      if (!fullPath.startsWith(executorDir + "/")) {
        return null;
      }
      return fullPath.substring(executorDir.length() + 1).split("/");
    }

    private boolean acceptPath(String fullPath) {
      String[] p = rest(fullPath);
      if (p == null) {
        return false;
      }
      switch (p.length) {
        case 0: return true;
        case 1: return p[0].equals("unzoned") || p[0].equals("zones");
        case 2: return p[0].equals("zones") || (p[0].equals("unzoned") && p[1].equals("requests"));
        case 3: return p[0].equals("unzoned") ? p[1].equals("requests") : p[2].equals("requests");
        case 4: return p[0].equals("zones") && p[2].equals("requests");
        default: return false;
      }
    }

    private boolean isRequestNode(String fullPath) {
      String[] p = rest(fullPath);
      return p != null && ((p.length == 3 && p[0].equals("unzoned")) || p.length == 4);
    }
  }
}
