package org.fingerpost.registry.tenants;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * A lock compatible with kazoo's lock recipes ({@code kazoo.recipe.lock.ReadLock} / {@code WriteLock}),
 * which Zuul uses for {@code /zuul/system/conf-lock}; Curator's own lock recipes name their nodes
 * differently and would not exclude Zuul's writer.
 *
 * <p>Protocol (kazoo's): a contender creates an ephemeral sequential child {@code
 * <uuid-hex>__rlock__<seq>} (read) or {@code <uuid-hex>__lock__<seq>} (write) under the lock node,
 * sorts all children by the sequence after the type marker, and holds the lock once no earlier child
 * of an excluding type remains: a read lock waits for earlier {@code __lock__} children only, a write
 * lock for earlier children of both types. It waits by watching the nearest such predecessor.
 *
 * <p>If creating the node fails mid-call (connection loss), the node is looked up by its uuid prefix
 * and deleted, as kazoo does, so that no orphan contender blocks Zuul's writer for the rest of the
 * session. One instance is one acquisition; not reusable, not thread-safe.
 */
public final class KazooLock implements AutoCloseable {
  /** kazoo's marker of write-lock (and plain lock) contenders. */
  public static final String WRITE_MARKER = "__lock__";
  /** kazoo's marker of read-lock contenders. */
  public static final String READ_MARKER = "__rlock__";

  private final CuratorFramework curator;
  private final String lockPath;
  private final String marker;
  private final Set<String> excluded;
  private final String prefix;
  private String node;

  private KazooLock(CuratorFramework curator, String lockPath, String marker, Set<String> excluded) {
    this.curator = curator;
    this.lockPath = lockPath;
    this.marker = marker;
    this.excluded = excluded;
    this.prefix = UUID.randomUUID().toString().replace("-", "") + marker;
  }

  /** A read lock on {@code lockPath} (kazoo's {@code ReadLock}); shared with other readers. */
  public static KazooLock read(CuratorFramework curator, String lockPath) {
    return new KazooLock(curator, lockPath, READ_MARKER, Set.of(WRITE_MARKER));
  }

  /** A write lock on {@code lockPath} (kazoo's {@code WriteLock}); exclusive. */
  public static KazooLock write(CuratorFramework curator, String lockPath) {
    return new KazooLock(curator, lockPath, WRITE_MARKER, Set.of(WRITE_MARKER, READ_MARKER));
  }

  /**
   * Takes the lock, waiting at most {@code timeout}.
   *
   * @throws TimeoutException when not acquired in time (the contender node is removed)
   * @throws Exception ZooKeeper errors and interruption; the contender node is removed
   */
  public KazooLock acquire(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      node = create();
      while (true) {
        List<String> children = sorted(curator.getChildren().forPath(lockPath));
        int mine = children.indexOf(node);
        if (mine < 0) {
          throw new IllegalStateException("lock node " + node + " vanished (session lost?)");
        }
        String blocker = null;
        for (int i = mine - 1; i >= 0; i--) {
          String c = children.get(i);
          if (excluded.stream().anyMatch(c::contains)) {
            blocker = c;
            break;
          }
        }
        if (blocker == null) {
          return this;
        }
        CountDownLatch gone = new CountDownLatch(1);
        Stat stat = curator.checkExists().usingWatcher((org.apache.zookeeper.Watcher) e -> gone.countDown())
            .forPath(lockPath + "/" + blocker);
        if (stat == null) {
          continue;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !gone.await(left, TimeUnit.NANOSECONDS)) {
          throw new TimeoutException("lock " + lockPath + " not acquired within " + timeout.toMillis()
              + " ms (held by " + blocker + ")");
        }
      }
    } catch (Exception | Error e) {
      release();
      throw e;
    }
  }

  private String create() throws Exception {
    // Persistent parents, as kazoo's ensure_path makes them (a container could vanish under Zuul).
    try {
      String path = curator.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
          .forPath(lockPath + "/" + prefix, new byte[0]);
      return path.substring(path.lastIndexOf('/') + 1);
    } catch (KeeperException.ConnectionLossException e) {
      String found = find();
      if (found != null) {
        return found;
      }
      throw e;
    }
  }

  private String find() {
    try {
      for (String c : curator.getChildren().forPath(lockPath)) {
        if (c.startsWith(prefix)) {
          return c;
        }
      }
    } catch (Exception e) {
      // nothing to find; the session's end removes any node
    }
    return null;
  }

  /** kazoo's order: by the sequence after the type marker; unknown names last. */
  static List<String> sorted(List<String> children) {
    List<String> out = new ArrayList<>(children);
    out.sort(Comparator.comparing(KazooLock::sequence));
    return out;
  }

  private static String sequence(String child) {
    for (String name : List.of(WRITE_MARKER, READ_MARKER)) {
      int i = child.indexOf(name);
      if (i >= 0) {
        return child.substring(i + name.length());
      }
    }
    return "~";
  }

  /** The contender node's name (under the lock path), null before {@link #acquire} or after release. */
  public String node() {
    return node;
  }

  /** Releases the lock (deletes the contender node); idempotent, never throws. */
  public void release() {
    String n = node != null ? node : find();
    node = null;
    if (n == null) {
      return;
    }
    try {
      curator.delete().guaranteed().forPath(lockPath + "/" + n);
    } catch (KeeperException.NoNodeException e) {
      // already gone
    } catch (Exception e) {
      // guaranteed(): Curator retries in the background; the session's end removes it anyway
    }
  }

  @Override
  public void close() {
    release();
  }

  @Override
  public String toString() {
    return "KazooLock{" + lockPath + "/" + (node == null ? prefix : node) + "}";
  }
}
