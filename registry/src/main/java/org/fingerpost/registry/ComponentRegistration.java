package org.fingerpost.registry;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.fingerpost.registry.internal.Names;
import org.fingerpost.registry.internal.RegistryNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers one component the way Zuul does: an EPHEMERAL_SEQUENTIAL node {@code
 * <root>/components/<kind>/<hostname><sequence>} holding the {@link ComponentInfo} JSON.
 *
 * <p><b>Safe next to Zuul.</b> The node carries the {@link ComponentInfo#FINGERPOST} marker and the
 * {@code model_api} of {@link Registry#modelApi()}, kept up to date as Zuul's components change, so
 * Zuul's system data-model version is never lowered. The node is created only once that follower has
 * read the registry's components, never with a guessed value.
 *
 * <p><b>Survives session loss.</b> The node is a Curator {@code PersistentNode}: when the session
 * expires or the node is deleted, it is re-created (same path) with the <em>current</em> data, that is
 * the state last set with {@link #setState}, even when the state changed while ZooKeeper was away.
 * {@link #start()} returns without a node when ZooKeeper is down; the node appears once it is back.
 *
 * <p><b>Ownership and threads.</b> The caller owns the registration and closes it before closing the
 * {@link Registry}. All methods are thread-safe; none blocks for long: {@link #start()} waits at most
 * {@link #INITIAL_CREATE_TIMEOUT} for the components to be read and the first create, {@link #close()} deletes the node before it
 * returns when connected (and in the background otherwise).
 *
 * <p><b>Errors.</b> Nothing is thrown for registry trouble: it is logged and retried. Invalid names
 * ({@code /} in the kind or hostname) are {@link IllegalArgumentException}s.
 */
public final class ComponentRegistration implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(ComponentRegistration.class);

  /** How long {@link #start()} waits for the node to be created when ZooKeeper is connected. */
  public static final Duration INITIAL_CREATE_TIMEOUT = Duration.ofSeconds(5);
  /**
   * Fingerpost's version (the jar's manifest; {@code dev} when run from classes), registered for
   * entries given none; the one version reader the daemons share.
   */
  public static final String VERSION = versionOf(ComponentRegistration.class);

  private static String versionOf(Class<?> type) {
    String v = type.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }

  private final Registry registry;
  private final String basePath;
  private final ModelApi modelApi;
  private final java.util.function.IntConsumer modelApiListener = this::onModelApi;
  private final java.util.concurrent.CountDownLatch firstCreate = new java.util.concurrent.CountDownLatch(1);
  /** Guards node, started, closed and the order of data writes (see {@link #push()}). */
  private final Object lock = new Object();
  private volatile ComponentInfo info;
  private RegistryNode node;
  private boolean started;
  private boolean closed;

  /**
   * @param registry the daemon's registry; not owned
   * @param info what to register; its kind and hostname fix the node's path
   */
  public ComponentRegistration(Registry registry, ComponentInfo info) {
    this.registry = Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(info, "info");
    this.modelApi = registry.modelApi();
    String version = info.version() != null ? info.version() : VERSION;
    this.info = info.toBuilder().version(version).extra(ComponentInfo.FINGERPOST, version).build();
    // Zuul's path: kind/hostname plus the sequence, no separator.
    this.basePath = registry.path("components", Names.segment("component kind", info.kind()),
        Names.segment("hostname", info.hostname()));
  }

  /**
   * Starts keeping the node in ZooKeeper. When connected, waits up to {@link #INITIAL_CREATE_TIMEOUT}
   * for the create (so the component is visible when this returns); otherwise returns at once and the
   * node is created in the background.
   *
   * @throws IllegalStateException when already started or closed
   */
  public void start() {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("registration closed");
      }
      if (started) {
        throw new IllegalStateException("registration already started");
      }
      started = true;
    }
    modelApi.addListener(modelApiListener);
    // Not before the components were read: the first create must already carry Zuul's model_api.
    modelApi.whenInitialized(this::createNode);
    if (!registry.isConnected()) {
      LOG.warn("ZooKeeper not connected: {} {} will be registered when it is", info.kind(), info.hostname());
      return;
    }
    try {
      if (firstCreate.await(INITIAL_CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.info("Registered {} {} at {} ({}, model_api {})", info.kind(), info.hostname(), path(), info.state(),
            info.modelApi());
      } else {
        LOG.warn("Registering {} {} takes longer than {} ms; continuing in the background", info.kind(),
            info.hostname(), INITIAL_CREATE_TIMEOUT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Creates the kind's directory first as Zuul does ({@code makepath}: persistent nodes; Curator would
   * make containers, which ZooKeeper deletes once empty, under Zuul's watches), then the node.
   */
  private void createNode() {
    String kindDir = ZKPaths.getPathAndNode(basePath).getPath();
    try {
      registry.curator().create().creatingParentsIfNeeded().inBackground((client, event) -> startNode())
          .forPath(kindDir);
    } catch (Exception e) {
      LOG.debug("Cannot create {} ahead of the node: {}", kindDir, e.toString());
      startNode();
    }
  }

  private void startNode() {
    synchronized (lock) {
      if (closed || node != null) {
        return;
      }
      info = info.toBuilder().modelApi(modelApi.current()).build();
      RegistryNode n = new RegistryNode(registry, CreateMode.EPHEMERAL_SEQUENTIAL, basePath, info.toJson());
      n.getListenable().addListener(this::onCreated);
      node = n;
      n.start();
    }
  }

  /** Zuul's components moved to another data-model version: follow. */
  private void onModelApi(int value) {
    synchronized (lock) {
      if (info.modelApi() == null || info.modelApi() != value) {
        info = info.toBuilder().modelApi(value).build();
        push();
      }
    }
  }

  /** Called by Curator after every create of the node, the first one and each re-create. */
  private void onCreated(String path) {
    LOG.debug("Component node {} created", path);
    // A state set before the create was processed could not be written yet: write it now.
    push();
    firstCreate.countDown();
  }

  /** Sets the state and writes it to the node (asynchronously); also used for re-creates. */
  public void setState(ComponentState state) {
    Objects.requireNonNull(state, "state");
    synchronized (lock) {
      info = info.withState(state);
      push();
    }
  }

  /**
   * Replaces the registered data (for example to add a capability); the kind and hostname must stay
   * the same since they name the node. The {@code model_api} and the Fingerpost marker stay this
   * registration's own.
   *
   * @throws IllegalArgumentException when the kind or hostname differ
   */
  public void update(ComponentInfo newInfo) {
    Objects.requireNonNull(newInfo, "info");
    synchronized (lock) {
      if (!newInfo.kind().equals(info.kind()) || !newInfo.hostname().equals(info.hostname())) {
        throw new IllegalArgumentException("kind and hostname of a registration cannot change");
      }
      info = newInfo.toBuilder()
          .modelApi(info.modelApi())
          .extra(ComponentInfo.FINGERPOST, info.extra().get(ComponentInfo.FINGERPOST))
          .build();
      push();
    }
  }

  /**
   * Writes the current info if the node exists and holds something else. Runs under the lock so that
   * the last write issued is always of the latest info (Curator sends them in order); before the first
   * create it does nothing, and {@link #onCreated} writes the then-current info.
   */
  private void push() {
    synchronized (lock) {
      RegistryNode n = node;
      if (n == null || n.getActualPath() == null) {
        return;
      }
      byte[] bytes = info.toJson();
      if (Arrays.equals(bytes, n.getData())) {
        return;
      }
      try {
        n.setData(bytes);
      } catch (IllegalStateException e) {
        LOG.debug("Component node not ready for data yet: {}", e.getMessage());
      } catch (Exception e) {
        LOG.warn("Cannot update component node {}: {}", n.getActualPath(), e.toString());
      }
    }
  }

  /** The info as last set (what the node holds, or will hold once written). */
  public ComponentInfo info() {
    return info;
  }

  public ComponentState state() {
    return info.state();
  }

  /**
   * The state a component that registers with {@code registration} reports: {@code STOPPED} once it
   * is {@code closed}, {@code INITIALIZING} while it has no registration yet (null), else the
   * registration's. The one rule of the gateway's and the web node's {@code state()}.
   */
  public static ComponentState stateOf(ComponentRegistration registration, boolean closed) {
    return closed ? ComponentState.STOPPED : registration == null ? ComponentState.INITIALIZING
        : registration.state();
  }

  /** The node's actual path ({@code .../<hostname>-0000000042}), or null before it exists or after close. */
  public String path() {
    synchronized (lock) {
      return closed || node == null ? null : node.getActualPath();
    }
  }

  /**
   * Writes state {@code stopped}, then deletes the node and stops re-creating it. Idempotent.
   * Registry trouble is logged, not thrown.
   */
  @Override
  public void close() {
    RegistryNode n;
    synchronized (lock) {
      if (closed) {
        return;
      }
      info = info.withState(ComponentState.STOPPED);
      push();
      closed = true;
      modelApi.removeListener(modelApiListener);
      n = node;
      node = null;
    }
    if (n == null) {
      return;
    }
    String path = n.getActualPath();
    try {
      n.close();
      LOG.info("Unregistered {} {} ({})", info.kind(), info.hostname(), path);
    } catch (IOException e) {
      LOG.warn("Cannot delete component node {}: {}", path, e.toString());
    }
  }

  @Override
  public String toString() {
    return "ComponentRegistration{" + basePath + ", " + info.state() + "}";
  }
}
