package org.fingerpost.registry.events;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes back what failed puts left in ZooKeeper: a queue node that landed after its put had failed,
 * one whose create had an unknown outcome (found by its exact bytes among nodes created after the
 * put began), and side channels without their queue node. Queue node first, then side channel, so
 * that Zuul never sees an event whose side channel is gone. Runs on the owner's worker thread with
 * Curator's blocking (retrying) calls, whenever connected; a clean-up that fails is tried again
 * after reconnecting or after {@link EventQueues#CLEANUP_RETRY}. Thread-safe.
 */
final class Compensations {
  private static final Logger LOG = LoggerFactory.getLogger(Compensations.class);

  private final EventQueues owner;
  private final ConcurrentLinkedQueue<Task> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  Compensations(EventQueues owner) {
    this.owner = owner;
  }

  int pending() {
    return pending.get();
  }

  /** Deletes {@code queueNode} (may be null) and then side channel {@code sideChannel} (may be null). */
  void delete(String queueNode, String sideChannel) {
    add(new Task(queueNode, null, null, 0, sideChannel));
  }

  /** Deletes the node under {@code eventRoot} holding exactly {@code data} created after zxid {@code floor}. */
  void findAndDelete(String eventRoot, byte[] data, long floor, String sideChannel) {
    add(new Task(null, eventRoot, data, floor, sideChannel));
  }

  private void add(Task task) {
    pending.incrementAndGet();
    tasks.add(task);
    runSoon();
  }

  /** Runs the pending clean-ups on the worker thread if connected (else on reconnection). */
  void runSoon() {
    if (tasks.isEmpty() || !connected() || !scheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      owner.worker.execute(this::drain);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      scheduled.set(false);
    }
  }

  /** The client's own view (the registry's flag may be updated after our listener runs). */
  private boolean connected() {
    return owner.registry().curator().getZookeeperClient().isConnected();
  }

  private void drain() {
    scheduled.set(false);
    Task task;
    while ((task = tasks.peek()) != null) {
      if (!connected()) {
        return; // the reconnection runs us again
      }
      try {
        task.run(owner.registry().curator());
        tasks.poll();
        pending.decrementAndGet();
        owner.changed();
      } catch (Exception e) {
        LOG.debug("Event clean-up {} failed, retrying: {}", task, e.toString());
        try {
          owner.timers.schedule(this::runSoon, EventQueues.CLEANUP_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
          // shutting down
        }
        return;
      }
    }
  }

  private static final class Task {
    final String queueNode;
    final String eventRoot;
    final byte[] data;
    final long floor;
    final String sideChannel;

    Task(String queueNode, String eventRoot, byte[] data, long floor, String sideChannel) {
      this.queueNode = queueNode;
      this.eventRoot = eventRoot;
      this.data = data;
      this.floor = floor;
      this.sideChannel = sideChannel;
    }

    void run(CuratorFramework curator) throws Exception {
      if (queueNode != null) {
        deleteIfThere(curator, queueNode);
        LOG.warn("Removed event {}: it was stored after its sender had been told it was not", queueNode);
      }
      if (eventRoot != null) {
        List<String> children;
        try {
          children = curator.getChildren().forPath(eventRoot);
        } catch (KeeperException.NoNodeException gone) {
          children = List.of();
        }
        for (String child : children) {
          String path = eventRoot + "/" + child;
          Stat stat = new Stat();
          byte[] bytes;
          try {
            bytes = curator.getData().storingStatIn(stat).forPath(path);
          } catch (KeeperException.NoNodeException consumed) {
            continue;
          }
          if (stat.getCzxid() > floor && Arrays.equals(bytes, data)) {
            deleteIfThere(curator, path);
            LOG.warn("Removed event {}: its create had an unknown outcome and its sender was told it failed", path);
            break;
          }
        }
      }
      if (sideChannel != null) {
        try {
          curator.delete().deletingChildrenIfNeeded().forPath(sideChannel);
          LOG.info("Removed side channel {} of an event that was not stored", sideChannel);
        } catch (KeeperException.NoNodeException gone) {
          // never made, or already removed (Zuul's own clean-up)
        }
      }
    }

    private static void deleteIfThere(CuratorFramework curator, String path) throws Exception {
      try {
        curator.delete().forPath(path);
      } catch (KeeperException.NoNodeException gone) {
        // consumed by the scheduler already, or never there
      }
    }

    @Override
    public String toString() {
      return "{queueNode=" + queueNode + ", search=" + eventRoot + ", sideChannel=" + sideChannel + "}";
    }
  }
}
