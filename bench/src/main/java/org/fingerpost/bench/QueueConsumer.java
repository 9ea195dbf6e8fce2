package org.fingerpost.bench;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;

/**
 * Deletes the children of one parent node as they appear, oldest first, as Zuul's scheduler consumes
 * a connection's event queue, until closed: the queue stays short, as in a running Zuul, instead of
 * growing by tens of thousands of nodes per phase (a ZooKeeper snapshot then writes hundreds of MB,
 * and a queue reaches Zuul's limit of 90,000 events). The same consumer runs in raw and webhook
 * phases, on a client of its own, so that both carry the same cost. Runs on a thread of its own.
 */
final class QueueConsumer implements AutoCloseable {
  /** Deletes in flight at once. */
  static final int DELETES_IN_FLIGHT = 64;
  /** Longest wait for a change of an empty or missing parent, in milliseconds (the watch ends it sooner). */
  static final long IDLE_WAIT_MS = 50;

  private final CuratorFramework zk;
  private final String parent;
  private final Thread thread;
  private final Semaphore changed = new Semaphore(0);
  /** One watcher object: ZooKeeper keeps a watcher once per path, however often it is set. */
  private final Watcher onChange = e -> changed.release();
  private volatile boolean closed;
  private volatile Exception failure;
  private long deleted;

  /** Starts consuming {@code parent}'s children with {@code zk}. */
  QueueConsumer(CuratorFramework zk, String parent) {
    this.zk = zk;
    this.parent = parent;
    this.thread = new Thread(this::run, "queue-consumer");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (!closed) {
        List<String> children;
        try {
          children = zk.getChildren().usingWatcher(onChange).forPath(parent);
        } catch (KeeperException.NoNodeException e) {
          children = List.of(); // the queue is made by its first put
        }
        if (children.isEmpty()) {
          changed.tryAcquire(IDLE_WAIT_MS, TimeUnit.MILLISECONDS);
          changed.drainPermits();
          continue;
        }
        changed.drainPermits(); // this listing already saw the change
        deleteAll(children.stream().sorted().toList());
      }
    } catch (Exception e) {
      if (!closed) {
        failure = e;
      }
    }
  }

  private void deleteAll(List<String> children) throws Exception {
    delete(zk, parent, children);
    deleted += children.size();
  }

  /** Deletes {@code children} of {@code parent}, {@link #DELETES_IN_FLIGHT} at once, and waits for all. */
  static void delete(CuratorFramework zk, String parent, List<String> children) throws Exception {
    Semaphore window = new Semaphore(DELETES_IN_FLIGHT);
    for (String child : children) {
      window.acquire();
      zk.delete().inBackground((client, event) -> window.release()).forPath(parent + "/" + child);
    }
    window.acquire(DELETES_IN_FLIGHT);
  }

  /** Stops consuming (what is left stays) and returns how many nodes were deleted; fails if consuming failed. */
  long stop() throws Exception {
    closed = true;
    changed.release();
    thread.join();
    if (failure != null) {
      throw failure;
    }
    return deleted;
  }

  @Override
  public void close() throws Exception {
    stop();
  }
}
