package org.fingerpost.registry.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.fingerpost.registry.RegistryUnavailableException;

/**
 * Zuul's {@code ConnectionEventQueue} (zuul/zk/event_queues.py) for one connection, write side:
 * each event is a persistent sequential node {@code <root>/events/connection/<name>/events/queue/q<seq>}
 * holding {@code json.dumps({"event_data": data}, sort_keys=True)}. When that exceeds {@value
 * #NODE_BYTE_SIZE_LIMIT} bytes the data goes to a side channel first, {@code .../events/data/<uuid4>}
 * with persistent sequential shards (see {@link SideChannel}; format by {@code model_api}), and the
 * queue node holds {@code {"event_data_path": "<that path>"}}. No ltime is written: Zuul uses the
 * node's czxid.
 *
 * <p>Order of writes: side channel node, its shards (pipelined; ZooKeeper applies one session's
 * requests in order), then, once every shard is confirmed, the queue node. The queue node is the
 * commit point; a put that fails before or at it removes the side channel. Thread-safe; made by
 * {@link EventQueues#connection}.
 */
public final class ConnectionEventQueue {
  /** Zuul's {@code sharding.NODE_BYTE_SIZE_LIMIT}: largest node data Zuul writes, in bytes. */
  public static final int NODE_BYTE_SIZE_LIMIT = 1_000_000;
  /**
   * Zuul's {@code ZooKeeperEventQueue.MAX_QUEUE}: a queue this long takes no more events (ZooKeeper
   * cannot list much more than ~95k children). Zuul drops the event silently; a put here fails.
   */
  public static final int MAX_QUEUE = 90_000;
  /** Zuul's {@code CACHED_COUNT_INTERVAL}: seconds between checks of the queue length (each put when above half). */
  public static final java.time.Duration CACHED_COUNT_INTERVAL = java.time.Duration.ofSeconds(10);

  private static final byte[] EVENT_DATA_OPEN = "{\"event_data\": ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] EVENT_DATA_PATH_OPEN =
      "{\"event_data_path\": ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final EventQueues owner;
  private final String name;
  private final String queueRoot;
  private final String eventRoot;
  private final String dataRoot;
  private final String electionRoot;
  private volatile boolean pathsEnsured;
  /** Zuul's cached queue length: counted on each put since the last check, replaced by each check. */
  private final java.util.concurrent.atomic.AtomicLong cachedCount = new java.util.concurrent.atomic.AtomicLong();
  private volatile long countCheckedAt = Long.MIN_VALUE / 2;
  private final java.util.concurrent.atomic.AtomicBoolean countChecking = new java.util.concurrent.atomic.AtomicBoolean();

  ConnectionEventQueue(EventQueues owner, String name) {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("Not a usable connection name: '" + name + "'");
    }
    this.owner = owner;
    this.name = name;
    this.queueRoot = owner.registry().path("events", "connection", name, "events");
    this.eventRoot = queueRoot + "/queue";
    this.dataRoot = queueRoot + "/data";
    this.electionRoot = owner.registry().path("events", "connection", name, "election");
  }

  public String name() {
    return name;
  }

  /** {@code .../events/queue}: the parent of the event nodes. */
  public String eventRoot() {
    return eventRoot;
  }

  /** {@code .../events/data}: the parent of side channels. */
  public String dataRoot() {
    return dataRoot;
  }

  /**
   * Writes one event. The future completes with the queue node's path once ZooKeeper confirmed it,
   * or fails with {@link RegistryUnavailableException} (not connected, connection lost, timeout); a
   * failed put leaves no node behind once ZooKeeper is reachable.
   */
  public CompletableFuture<String> put(JsonNode eventData) {
    return put(PythonJson.dumps(eventData));
  }

  /** As {@link #put(JsonNode)} with the event data already in {@link PythonJson} form. */
  public CompletableFuture<String> put(byte[] eventDataJson) {
    checkLength();
    if (cachedCount.get() >= MAX_QUEUE) {
      return CompletableFuture.failedFuture(new RegistryUnavailableException("Queue " + eventRoot + " holds "
          + cachedCount.get() + " events (Zuul's limit " + MAX_QUEUE + "): is the scheduler running?"));
    }
    cachedCount.incrementAndGet();
    byte[] node = concat(EVENT_DATA_OPEN, eventDataJson, new byte[] {'}'});
    String sideChannel = null;
    List<byte[]> shards = List.of();
    if (node.length > NODE_BYTE_SIZE_LIMIT) {
      sideChannel = dataRoot + "/" + UUID.randomUUID();
      shards = SideChannel.shards(eventDataJson, owner.registry().modelApi().current());
      node = concat(EVENT_DATA_PATH_OPEN, PythonJson.dumpsString(sideChannel), new byte[] {'}'});
    }
    EventWrite write = new EventWrite(owner, this, node, sideChannel, shards);
    write.start();
    return write.future();
  }

  /**
   * Zuul's queue-length check, without blocking the caller: the length is read (asynchronously) every
   * {@link #CACHED_COUNT_INTERVAL}, or on every put while above half of {@link #MAX_QUEUE}.
   */
  private void checkLength() {
    long now = System.nanoTime();
    if ((now - countCheckedAt < CACHED_COUNT_INTERVAL.toNanos() && cachedCount.get() <= MAX_QUEUE / 2)
        || !pathsEnsured || !countChecking.compareAndSet(false, true)) {
      return;
    }
    countCheckedAt = now;
    try {
      owner.zooKeeper().exists(owner.rawPath(eventRoot), false, (rc, path, ctx, stat) -> {
        if (stat != null) {
          cachedCount.set(stat.getNumChildren());
        }
        countChecking.set(false);
      }, null);
    } catch (RegistryUnavailableException e) {
      countChecking.set(false);
    }
  }

  /**
   * Creates the queue's nodes as Zuul's {@code ConnectionEventQueue} does ({@code ensure_path} of
   * queue, data and election roots: persistent, empty). Blocking; called off ZooKeeper's threads.
   */
  void ensurePaths() throws RegistryUnavailableException {
    if (pathsEnsured) {
      return;
    }
    CuratorFramework curator = owner.registry().curator();
    try {
      for (String p : new String[] {eventRoot, dataRoot, electionRoot}) {
        if (curator.checkExists().forPath(p) == null) {
          try {
            curator.create().creatingParentsIfNeeded().forPath(p, new byte[0]);
          } catch (KeeperException.NodeExistsException raced) {
            // someone else made it
          }
        }
      }
      pathsEnsured = true;
    } catch (Exception e) {
      throw new RegistryUnavailableException("Cannot create " + queueRoot + ": " + e, e);
    }
  }

  boolean pathsEnsured() {
    return pathsEnsured;
  }

  void pathsLost() {
    pathsEnsured = false;
  }

  private static byte[] concat(byte[] a, byte[] b, byte[] c) {
    byte[] out = new byte[a.length + b.length + c.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    System.arraycopy(c, 0, out, a.length + b.length, c.length);
    return out;
  }
}
