package org.fingerpost.registry.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.fingerpost.registry.RegistryUnavailableException;

/**
 * Creates queue nodes: each alone, as Zuul's writer does; or, with batching ({@code
 * webhooks.batch_writes}), several in one ZooKeeper transaction ({@code multi}) when puts arrive
 * while earlier ones are in flight: at most {@value #MAX_BATCHES_IN_FLIGHT} requests are
 * outstanding, and what arrives meanwhile waits and goes in the next one. A lone put is sent at once as a plain
 * create, so batching adds no wait; under load one transaction carries many events, which costs
 * ZooKeeper (and this client) one request instead of many.
 *
 * <p>A transaction is all or nothing. Each of its events is still its own persistent sequential
 * node with its own data, in submission order; they share one {@code czxid}, which Zuul reads as
 * the events' ltime (docs/web-tier.md, "Batched writes", says what that changes). A transaction refused for a definite
 * reason (a queue removed under us) is retried event by event, so each gets the single-create
 * handling; one whose outcome is unknown (connection lost) fails every event in it, and each is
 * cleaned up as a single create would be. A create inside a transaction returns no {@code Stat}, so
 * it does not raise the writer's zxid floor: such a clean-up then searches more of the queue (Zuul
 * keeps queues short), which costs reads, never correctness (it matches exact bytes).
 *
 * <p>Thread-safe. Callbacks run on ZooKeeper's event thread and never block; the next batch is sent
 * from there.
 */
final class QueueNodeBatcher {
  /** Transactions (or lone creates) outstanding at once; what arrives meanwhile waits for the next. */
  static final int MAX_BATCHES_IN_FLIGHT = 2;
  /**
   * Largest transaction, in bytes of node data and paths: half of ZooKeeper's default {@code
   * jute.maxbuffer} (1 MiB), which a server enforces by closing the connection. A larger event goes alone.
   */
  static final int MAX_BATCH_BYTES = 512 * 1024;
  /** Most events in one transaction. */
  static final int MAX_BATCH_EVENTS = 256;
  /** Bytes counted per operation besides its data and path (request framing, ACL). */
  static final int OP_OVERHEAD_BYTES = 64;
  /** Completions handed to one completion-thread task. */
  static final int COMPLETIONS_PER_TASK = 16;

  /** What becomes of one queue node's create; called once, on ZooKeeper's event thread. */
  interface Outcome {
    /**
     * The create's result ({@code name} and {@code stat} set when {@code code} is OK; {@code stat}
     * may be null inside a transaction). Returns the completion to run on a completion thread, or null.
     */
    Runnable created(Code code, String name, Stat stat);

    /** Whether the put still waits for this create (not yet failed by a timeout or a lost connection). */
    boolean pending();

    /** The put failed before its create was sent: nothing of it may stay. */
    void abandoned(String reason);
  }

  private record Create(String path, byte[] data, Outcome outcome) {
    int bytes() {
      return data.length + path.length() + OP_OVERHEAD_BYTES;
    }
  }

  private final EventQueues owner;
  private final boolean batching;
  private final ArrayDeque<Create> waiting = new ArrayDeque<>();
  private int inFlight;

  /** @param batching false: every create is sent at once, alone (no transactions, no waiting) */
  QueueNodeBatcher(EventQueues owner, boolean batching) {
    this.owner = owner;
    this.batching = batching;
  }

  /** Creates a persistent sequential node {@code path<seq>} (a raw ZooKeeper path) holding {@code data}. */
  void create(String path, byte[] data, Outcome outcome) {
    if (!batching) {
      try {
        alone(owner.zooKeeper(), new Create(path, data, outcome), () -> { });
      } catch (RegistryUnavailableException e) {
        outcome.abandoned(e.getMessage());
      }
      return;
    }
    List<Create> batch;
    synchronized (this) {
      waiting.add(new Create(path, data, outcome));
      if (inFlight >= MAX_BATCHES_IN_FLIGHT) {
        return;
      }
      batch = takeBatch();
    }
    send(batch);
  }

  /** Events waiting for a transaction slot (for tests and metrics). */
  synchronized int waiting() {
    return waiting.size();
  }

  /** The next batch, counted in flight; null when nothing waits. Called holding the lock. */
  private List<Create> takeBatch() {
    List<Create> batch = new ArrayList<>();
    int bytes = 0;
    while (!waiting.isEmpty() && batch.size() < MAX_BATCH_EVENTS) {
      Create next = waiting.peek();
      if (!batch.isEmpty() && bytes + next.bytes() > MAX_BATCH_BYTES) {
        break;
      }
      batch.add(waiting.poll());
      bytes += next.bytes();
    }
    if (batch.isEmpty()) {
      return null;
    }
    inFlight++;
    return batch;
  }

  private void send(List<Create> batch) {
    while (batch != null) {
      List<Create> live = new ArrayList<>(batch.size());
      for (Create c : batch) {
        if (c.outcome().pending()) {
          live.add(c);
        } else {
          c.outcome().abandoned("failed before its queue node was sent");
        }
      }
      if (!live.isEmpty() && submit(live)) {
        return; // the callback sends the next batch
      }
      synchronized (this) {
        inFlight--;
        batch = takeBatch();
      }
    }
  }

  /** Sends {@code batch}; false when nothing was sent (no ZooKeeper client: every put failed). */
  private boolean submit(List<Create> batch) {
    ZooKeeper zk;
    try {
      zk = owner.zooKeeper();
    } catch (RegistryUnavailableException e) {
      batch.forEach(c -> c.outcome().abandoned(e.getMessage()));
      return false;
    }
    if (batch.size() == 1) {
      alone(zk, batch.get(0), this::batchDone);
      return true;
    }
    List<Op> ops = new ArrayList<>(batch.size());
    for (Create c : batch) {
      ops.add(Op.create(c.path(), c.data(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL));
    }
    zk.multi(ops, (AsyncCallback.MultiCallback) (rc, path, ctx, results) -> {
      try {
        transactionDone(zk, batch, Code.get(rc), results);
      } finally {
        batchDone();
      }
    }, null);
    return true;
  }

  /** One plain create; {@code then} runs after its outcome. */
  private void alone(ZooKeeper zk, Create c, Runnable then) {
    zk.create(c.path(), c.data(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL,
        (rc, path, ctx, name, stat) -> {
          try {
            complete(java.util.Collections.singletonList(c.outcome().created(Code.get(rc), name, stat)));
          } finally {
            then.run(); // the slot is free whatever the outcome did
          }
        }, null);
  }

  private void transactionDone(ZooKeeper zk, List<Create> batch, Code code, List<OpResult> results) {
    if (code == Code.OK) {
      List<Runnable> completions = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        OpResult.CreateResult r = (OpResult.CreateResult) results.get(i);
        completions.add(batch.get(i).outcome().created(Code.OK, r.getPath(), r.getStat()));
      }
      complete(completions);
    } else if (EventWrite.uncertain(code)) {
      List<Runnable> completions = new ArrayList<>(batch.size());
      batch.forEach(c -> completions.add(c.outcome().created(code, null, null)));
      complete(completions);
    } else {
      // Rolled back as a whole for one event's reason: each goes again alone (outside the in-flight
      // count: a rare path), so that it gets a single create's handling and cannot roll back the others.
      batch.forEach(c -> alone(zk, c, () -> { }));
    }
  }

  private void batchDone() {
    List<Create> next;
    synchronized (this) {
      inFlight--;
      next = takeBatch();
    }
    send(next);
  }

  /** Runs the completions on completion threads, a few per task (one hand-off per few puts, not per put). */
  private void complete(List<Runnable> completions) {
    List<Runnable> task = new ArrayList<>(COMPLETIONS_PER_TASK);
    for (Runnable r : completions) {
      if (r == null) {
        continue;
      }
      task.add(r);
      if (task.size() == COMPLETIONS_PER_TASK) {
        List<Runnable> full = task;
        owner.completions.execute(() -> full.forEach(Runnable::run));
        task = new ArrayList<>(COMPLETIONS_PER_TASK);
      }
    }
    if (!task.isEmpty()) {
      List<Runnable> rest = task;
      owner.completions.execute(() -> rest.forEach(Runnable::run));
    }
  }
}
