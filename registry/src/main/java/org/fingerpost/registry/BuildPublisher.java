package org.fingerpost.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.fingerpost.registry.internal.Json;
import org.fingerpost.registry.internal.Names;
import org.fingerpost.registry.internal.RegistryNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the builds a standalone streamer serves, in Zuul's layout, so that gateways and web nodes
 * find them: one EPHEMERAL node per build at {@code <root>/executor/zones/<zone>/requests/<uuid>} (or
 * {@code <root>/executor/unzoned/requests/<uuid>} for an unzoned worker), body {@code {"uuid": ...,
 * "state": "running", "tenant_name": ..., "worker_info": {"hostname": ..., "log_port": ..., "zone":
 * ...}}}. Missing parents are created as container nodes.
 *
 * <p>Only for a streamer running without Zuul: next to a real Zuul those nodes are Zuul's (docs/design.md
 * 3.3), and the streamer must not use this class.
 *
 * <p><b>Survives session loss.</b> Each node is a Curator {@code PersistentNode}, re-created after a
 * session expiry or a deletion by someone else.
 *
 * <p><b>A node left by an earlier session</b> (this worker killed and restarted before its session
 * expired) is not an error: the publisher writes its own data into it at once (so gateways reach the
 * new process) and watches it; when the old session expires and its node goes, this session creates
 * the node again, with the same path, data and mode.
 *
 * <p><b>Ownership and threads.</b> The caller owns the publisher and closes it (removing every node)
 * before closing the {@link Registry}. Thread-safe. {@link #publish} waits up to {@link
 * #INITIAL_CREATE_TIMEOUT} for the create when connected, and returns at once otherwise (the node
 * appears when ZooKeeper is back); {@link #publishInBackground} never waits, and {@link
 * #awaitPublished} waits for such a create; {@link #remove} deletes before it returns when
 * connected.
 *
 * <p><b>Errors.</b> Registry trouble is logged and retried, never thrown. A build id that is not hex
 * digits is an {@link IllegalArgumentException}.
 */
public final class BuildPublisher implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(BuildPublisher.class);

  /** How long {@link #publish} waits for the node to be created when ZooKeeper is connected. */
  public static final Duration INITIAL_CREATE_TIMEOUT = Duration.ofSeconds(5);
  /** The request state written for every published build. */
  public static final String STATE_RUNNING = "running";

  private final Registry registry;
  private final String tenant;
  private final WorkerInfo worker;
  /** Guarded by itself. */
  private final Map<String, RegistryNode> nodes = new LinkedHashMap<>();
  private boolean closed;

  /**
   * @param registry the daemon's registry; not owned
   * @param tenant the {@code tenant_name} written for every build
   * @param worker this streamer's {@code worker_info}; its zone picks the request queue
   */
  public BuildPublisher(Registry registry, String tenant, WorkerInfo worker) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.worker = Objects.requireNonNull(worker, "worker");
    if (worker.zone() != null) {
      Names.segment("zone", worker.zone());
    }
  }

  /** The node path a build gets. */
  public String path(String uuid) {
    return BuildDirectory.requestPath(registry, worker.zone(), uuid);
  }

  /**
   * Publishes {@code uuid} as running on this worker; does nothing if it already is. Waits for the
   * node as {@link #awaitPublished} does, at most {@link #INITIAL_CREATE_TIMEOUT}.
   *
   * @throws IllegalArgumentException when {@code uuid} is not hex digits
   * @throws IllegalStateException when the publisher is closed
   */
  public void publish(String uuid) {
    publishInBackground(uuid);
    try {
      if (!awaitPublished(uuid, INITIAL_CREATE_TIMEOUT) && registry.isConnected()) {
        LOG.warn("Publishing build {} takes longer than {} ms; continuing in the background", uuid,
            INITIAL_CREATE_TIMEOUT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Starts publishing {@code uuid} as running on this worker and returns at once; does nothing if it
   * already is. The create is sent asynchronously, so the creates of many builds are pipelined on the
   * one ZooKeeper connection instead of costing a round trip each (a streamer restarting with many
   * builds). A node already there, left by an earlier session of this worker (a process killed
   * before its session expired), gets this publisher's data at once and is re-created by this
   * session as soon as the old session's node goes.
   *
   * @throws IllegalArgumentException when {@code uuid} is not hex digits
   * @throws IllegalStateException when the publisher is closed
   */
  public void publishInBackground(String uuid) {
    Names.buildId(uuid);
    String path = path(uuid);
    synchronized (nodes) {
      if (closed) {
        throw new IllegalStateException("build publisher closed");
      }
      if (nodes.containsKey(uuid)) {
        return;
      }
      RegistryNode node = new RegistryNode(registry, CreateMode.EPHEMERAL, path, body(uuid));
      nodes.put(uuid, node);
      node.start();
    }
    if (!registry.isConnected()) {
      LOG.info("ZooKeeper not connected: build {} will be published when it is", uuid);
    }
  }

  /**
   * Waits until the node of a build being published holds this publisher's data (created, or an
   * earlier session's node taken over), at most {@code timeout}. Returns false at once when ZooKeeper
   * is not connected: the node is written when it is back.
   *
   * @return whether the node is written, or the build is not (or no longer) being published
   */
  public boolean awaitPublished(String uuid, Duration timeout) throws InterruptedException {
    RegistryNode node;
    synchronized (nodes) {
      node = nodes.get(uuid);
    }
    if (node == null) {
      return true;
    }
    try {
      boolean written = node.waitForInitialCreate(0, TimeUnit.MILLISECONDS)
          || registry.isConnected() && node.waitForInitialCreate(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (written) {
        LOG.debug("Published build {} at {}", uuid, node.getActualPath());
      }
      return written;
    } catch (IllegalStateException e) {
      return true; // removed (its node closed) meanwhile: nothing to wait for
    }
  }

  private byte[] body(String uuid) {
    ObjectNode body = Json.object();
    body.put("uuid", uuid);
    body.put("state", STATE_RUNNING);
    body.put("tenant_name", tenant);
    body.set("worker_info", worker.toJson());
    return Json.write(body);
  }

  /** Deletes the build's node and stops re-creating it; does nothing for a build not published. */
  public void remove(String uuid) {
    RegistryNode node;
    synchronized (nodes) {
      node = nodes.remove(uuid);
    }
    if (node != null) {
      closeNode(uuid, node);
    }
  }

  /** The builds published now. */
  public Set<String> published() {
    synchronized (nodes) {
      return Set.copyOf(nodes.keySet());
    }
  }

  private static void closeNode(String uuid, RegistryNode node) {
    try {
      node.close();
      LOG.debug("Unpublished build {}", uuid);
    } catch (IOException e) {
      LOG.warn("Cannot delete the node of build {}: {}", uuid, e.toString());
    }
  }

  /** Removes every published build; later {@link #publish} calls fail. Idempotent. */
  @Override
  public void close() {
    List<Map.Entry<String, RegistryNode>> all;
    synchronized (nodes) {
      closed = true;
      all = new ArrayList<>(nodes.entrySet());
      nodes.clear();
    }
    for (Map.Entry<String, RegistryNode> e : all) {
      closeNode(e.getKey(), e.getValue());
    }
  }
}
