package org.fingerpost.registry.events;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.fingerpost.registry.RegistryUnavailableException;

/**
 * One event being written: side channel and shards (if any), then the queue node. Its outcome is
 * decided exactly once ({@link #state}): confirmed by ZooKeeper, or failed (not connected, lost
 * connection, timeout). Whatever lands after a failure is handed to {@link Compensations}. Callbacks
 * run on ZooKeeper's event thread and never block; futures complete on the owner's worker thread.
 */
final class EventWrite implements QueueNodeBatcher.Outcome {
  private static final int PENDING = 0;
  private static final int DONE = 1;
  private static final int FAILED = 2;

  private final EventQueues owner;
  private final ConnectionEventQueue queue;
  private final byte[] node;
  private final String sideChannel;
  private final List<byte[]> shards;
  private final CompletableFuture<String> future = new CompletableFuture<>();
  private final AtomicInteger state = new AtomicInteger(PENDING);
  private volatile ScheduledFuture<?> timeout;
  private volatile long floor;
  private boolean retriedMissingPath;

  EventWrite(EventQueues owner, ConnectionEventQueue queue, byte[] node, String sideChannel, List<byte[]> shards) {
    this.owner = owner;
    this.queue = queue;
    this.node = node;
    this.sideChannel = sideChannel;
    this.shards = shards;
  }

  CompletableFuture<String> future() {
    return future;
  }

  void start() {
    if (!owner.registry().isConnected()) {
      failNow("ZooKeeper not connected");
      return;
    }
    owner.inFlight.add(this);
    timeout = owner.timers.schedule(() -> fail("no answer from ZooKeeper within "
        + owner.persistTimeout().toMillis() + " ms"), owner.persistTimeout().toMillis(), TimeUnit.MILLISECONDS);
    if (queue.pathsEnsured()) {
      begin();
    } else {
      ensurePathsThen(this::begin);
    }
  }

  private void begin() {
    if (sideChannel == null) {
      createQueueNode();
    } else {
      createSideChannel();
    }
  }

  private void createSideChannel() {
    ZooKeeper zk;
    try {
      zk = owner.zooKeeper();
    } catch (RegistryUnavailableException e) {
      fail(e.getMessage());
      terminal();
      return;
    }
    // Zuul's writer makes the side channel node with ensure_path (empty data), then its shards.
    zk.create(owner.rawPath(sideChannel), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
        (rc, path, ctx, name, stat) -> {
          Code code = Code.get(rc);
          if (code != Code.OK) {
            abandoned("side channel " + sideChannel + ": " + code);
            return;
          }
          seen(stat);
          createShards(zk);
        }, null);
  }

  private void createShards(ZooKeeper zk) {
    AtomicInteger left = new AtomicInteger(shards.size());
    AtomicBoolean failed = new AtomicBoolean();
    for (byte[] shard : shards) {
      zk.create(owner.rawPath(sideChannel) + "/", shard, ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT_SEQUENTIAL, (rc, path, ctx, name, stat) -> {
            if (Code.get(rc) != Code.OK) {
              failed.set(true);
              fail("side channel shard: " + Code.get(rc));
            } else {
              seen(stat);
            }
            if (left.decrementAndGet() == 0) {
              if (failed.get()) {
                abandoned("side channel shard refused"); // already failed with the shard's code
              } else {
                owner.worker.execute(() -> {
                  owner.beforeQueueNode.run();
                  createQueueNode();
                });
              }
            }
          }, null);
    }
  }

  private void createQueueNode() {
    if (state.get() != PENDING) {
      abandoned("failed before its queue node"); // failed (timeout, lost connection) before the commit point
      return;
    }
    floor = owner.zxidFloor.get();
    owner.batcher.create(owner.rawPath(queue.eventRoot()) + "/q", node, this);
  }

  @Override
  public boolean pending() {
    return state.get() == PENDING;
  }

  @Override
  public void abandoned(String reason) {
    fail(reason);
    abandonSideChannel();
    terminal();
  }

  @Override
  public Runnable created(Code code, String name, Stat stat) {
    Runnable completion = null;
    if (code == Code.OK) {
      seen(stat);
      String created = owner.curatorPath(name);
      if (state.compareAndSet(PENDING, DONE)) {
        finish();
        completion = () -> future.complete(created);
      } else {
        // Landed after the sender was told 503: take it back.
        owner.compensations.delete(created, sideChannel);
      }
      terminal();
    } else if (uncertain(code)) {
      fail("queue node: " + code);
      owner.compensations.findAndDelete(queue.eventRoot(), node, floor, sideChannel);
      terminal();
    } else if (code == Code.NONODE && !retriedMissingPath) {
      retriedMissingPath = true; // someone removed the queue: recreate it once, as Zuul's ensure_path would
      queue.pathsLost();
      ensurePathsThen(this::createQueueNode);
    } else {
      abandoned("queue node: " + code);
    }
    return completion;
  }

  /** Creates the queue's paths on the worker thread (blocking), then runs {@code next}; fails the put if it cannot. */
  private void ensurePathsThen(Runnable next) {
    owner.worker.execute(() -> {
      try {
        queue.ensurePaths();
        next.run();
      } catch (RegistryUnavailableException e) {
        abandoned(e.getMessage()); // nothing of it is written yet but, perhaps, a side channel
      }
    });
  }

  /** Whether an operation that ended with {@code code} may still have been applied. */
  static boolean uncertain(Code code) {
    return code == Code.CONNECTIONLOSS || code == Code.SESSIONEXPIRED || code == Code.OPERATIONTIMEOUT
        || code == Code.SESSIONMOVED || code == Code.REQUESTTIMEOUT;
  }

  private void abandonSideChannel() {
    if (sideChannel != null) {
      owner.compensations.delete(null, sideChannel);
    }
  }

  private void seen(Stat stat) {
    if (stat != null) {
      owner.zxidFloor.accumulateAndGet(stat.getCzxid(), Math::max);
    }
  }

  /** Fails the put unless it is already decided. */
  void fail(String reason) {
    if (state.compareAndSet(PENDING, FAILED)) {
      finish();
      owner.completions.execute(() -> future.completeExceptionally(new RegistryUnavailableException(
          "Event for connection " + queue.name() + " not stored: " + reason)));
    }
  }

  private void failNow(String reason) {
    state.set(FAILED);
    future.completeExceptionally(new RegistryUnavailableException(
        "Event for connection " + queue.name() + " not stored: " + reason));
  }

  private void finish() {
    ScheduledFuture<?> t = timeout;
    if (t != null) {
      t.cancel(false);
    }
  }

  /** Nothing of this write is outstanding any more (clean-ups, if any, are queued). */
  private void terminal() {
    finish();
    owner.inFlight.remove(this);
    owner.changed();
  }
}
