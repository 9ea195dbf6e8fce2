package org.fingerpost.registry.internal;

import java.io.Closeable;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 * <p>Thread-safe. Reads never touch ZooKeeper. Not API.
 */
@SuppressWarnings("deprecation") // TreeCache: the only Curator cache with a selector (see above)
public final class RequestTreeCache implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(RequestTreeCache.class);

  private final String executorDir;
  private final TreeCache cache;
  private final CountDownLatch initialized = new CountDownLatch(1);

  public RequestTreeCache(Registry registry) {
    this.executorDir = registry.path("executor");
    this.cache = TreeCache.newBuilder(registry.curator(), executorDir)
        .setSelector(new RequestsOnly())
        .setCacheData(true)
        .build();
    cache.getListenable().addListener((client, event) -> {
      if (event.getType() == TreeCacheEvent.Type.INITIALIZED) {
        LOG.debug("Build request cache of {} initialized", executorDir);
        initialized.countDown();
      }
    });
  }

  /** Starts watching; the copy fills in the background. */
  public void start() throws Exception {
    cache.start();
  }

  /** Waits up to {@code millis} for the first full copy; returns whether it is complete. */
  public boolean awaitInitialized(long millis) throws InterruptedException {
    return initialized.await(millis, TimeUnit.MILLISECONDS);
  }

  public boolean isInitialized() {
    return initialized.getCount() == 0;
  }

  /** The data of a cached node, or null when the copy has no such node. */
  public byte[] data(String path) {
    ChildData d = cache.getCurrentData(path);
    return d == null ? null : d.getData();
  }

  /**
   * Every request node in the copy: its path, data and creation time (milliseconds since the epoch),
   * the unzoned queue's first, then each zone's.
   */
  public java.util.List<ChildData> requestNodes() {
    java.util.List<ChildData> out = new java.util.ArrayList<>();
    addChildren(ZKPaths.makePath(executorDir, "unzoned", "requests"), out);
    for (String zone : zones()) {
      addChildren(ZKPaths.makePath(executorDir, "zones", zone, "requests"), out);
    }
    return out;
  }

  private void addChildren(String dir, java.util.List<ChildData> out) {
    Map<String, ChildData> children = cache.getCurrentChildren(dir);
    if (children != null) {
      children.values().stream().filter(d -> d.getData() != null).forEach(out::add);
    }
  }

  /** The zone names under {@code executor/zones} in the copy. */
  public Iterable<String> zones() {
    Map<String, ChildData> children = cache.getCurrentChildren(ZKPaths.makePath(executorDir, "zones"));
    return children == null ? java.util.List.of() : children.keySet();
  }

  @Override
  public void close() {
    cache.close();
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
