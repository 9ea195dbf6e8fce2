package org.fingerpost.registry;

import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.PathUtils;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's connection to the ZooKeeper registry: one Curator client, shared by every registry
 * object of the daemon ({@link ComponentRegistration}, {@link ComponentDirectory}, {@link
 * BuildDirectory}, {@link BuildPublisher}).
 *
 * <p><b>Availability.</b> {@link #connect} never fails because ZooKeeper is down: it waits up to the
 * configured connection timeout for the first connection, logs a warning if there is none, and
 * returns; Curator keeps reconnecting in the background for as long as the registry is open. {@link
 * #isConnected()} follows Curator's connection state (connected, reconnected or read-only count as
 * connected; suspended and lost do not) and is what readers check to fail fast.
 *
 * <p><b>Ownership and threads.</b> The caller of {@link #connect} owns the registry and closes it
 * last, after the registrations and publishers built on it. All methods are thread-safe.
 */
public final class Registry implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Registry.class);

  /** First sleep of Curator's exponential backoff between attempts of one operation, in ms. */
  public static final int RETRY_BASE_SLEEP_MS = 1_000;
  /** Longest sleep between attempts of one operation, in ms. */
  public static final int RETRY_MAX_SLEEP_MS = 10_000;
  /**
   * Attempts after the first for one operation; each attempt waits up to the connection timeout for a
   * connection. The connection itself is retried for ever regardless.
   */
  public static final int RETRY_MAX_RETRIES = 3;

  private final RegistrySettings config;
  private final CuratorFramework curator;
  private final AtomicBoolean connected = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Started on first use by {@link #modelApi()}; guarded by {@link #stateMonitor}. */
  private ModelApi modelApi;
  /** Guards the wait in {@link #awaitConnected}; notified on every connection state change. */
  private final Object stateMonitor = new Object();

  private Registry(RegistrySettings config, CuratorFramework curator) {
    this.config = config;
    this.curator = curator;
  }

  /**
   * Starts a Curator client for {@code config} and waits up to {@link
   * RegistrySettings#connectionTimeout()} for its first connection. Returns either way: without a
   * connection it logs a warning and keeps trying in the background. Interruption while waiting
   * returns at once with the interrupt flag set.
   */
  public static Registry connect(RegistrySettings config) {
    Objects.requireNonNull(config, "config");
    org.apache.zookeeper.client.ZKClientConfig clientConfig = null;
    if (config.tlsConfigured()) {
      try {
        clientConfig = org.fingerpost.registry.internal.ZkTls.clientConfig(config);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("ZooKeeper TLS files unusable: " + e, e);
      }
    }
    if (clientConfig == null && config.nettyClient()) {
      clientConfig = new org.apache.zookeeper.client.ZKClientConfig();
      clientConfig.setProperty(org.apache.zookeeper.client.ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET,
          org.apache.zookeeper.ClientCnxnSocketNetty.class.getName());
    }
    // A chroot suffix ("host:port,.../chroot") becomes Curator's namespace: same paths on the server,
    // but Curator creates the node when missing, where a ZooKeeper chroot would fail every call.
    String connect = config.hosts();
    String namespace = null;
    int slash = connect.indexOf('/');
    if (slash >= 0) {
      namespace = connect.substring(slash).replaceAll("^/+|/+$", "");
      connect = connect.substring(0, slash);
      if (namespace.isEmpty()) {
        namespace = null;
      }
    }
    CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder();
    if (clientConfig != null) {
      builder.zkClientConfig(clientConfig);
    }
    CuratorFramework curator = builder
        .connectString(connect)
        .namespace(namespace)
        .sessionTimeoutMs((int) config.sessionTimeout().toMillis())
        .connectionTimeoutMs((int) config.connectionTimeout().toMillis())
        .retryPolicy(new ExponentialBackoffRetry(RETRY_BASE_SLEEP_MS, RETRY_MAX_RETRIES, RETRY_MAX_SLEEP_MS))
        // Zuul's clients do not follow the ensemble's dynamic config; its member addresses may be
        // unreachable from here (containers), so keep to the configured hosts.
        .ensembleTracker(false)
        .build();
    Registry registry = new Registry(config, curator);
    curator.getConnectionStateListenable().addListener((client, state) -> registry.onStateChanged(state));
    curator.start();
    LOG.info("Connecting to ZooKeeper {} (root {}, session timeout {} ms{})", config.hosts(), config.root(),
        config.sessionTimeout().toMillis(), clientConfig != null ? ", TLS" : "");
    try {
      if (!registry.awaitConnected(config.connectionTimeout())) {
        LOG.warn("ZooKeeper {} not reachable within {} ms; continuing without it and reconnecting in the "
            + "background", config.hosts(), config.connectionTimeout().toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return registry;
  }

  private void onStateChanged(ConnectionState state) {
    boolean up = state.isConnected();
    boolean was;
    synchronized (stateMonitor) {
      was = connected.getAndSet(up && !closed.get());
      stateMonitor.notifyAll();
    }
    if (up) {
      if (!was) {
        LOG.info("ZooKeeper {}: {}", config.hosts(), state);
      }
    } else if (was) {
      LOG.warn("ZooKeeper {}: {}; reconnecting in the background", config.hosts(), state);
    } else {
      LOG.debug("ZooKeeper {}: {}", config.hosts(), state);
    }
  }

  /**
   * Waits until the registry is connected, at most {@code timeout}.
   *
   * @return whether it is connected
   */
  public boolean awaitConnected(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (stateMonitor) {
      while (!isConnected() && !closed.get()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        // Timed wait on the monitor that onStateChanged notifies; not a sleep.
        TimeUnit.NANOSECONDS.timedWait(stateMonitor, left);
      }
      return isConnected();
    }
  }

  /** The Curator client; owned by this registry (do not close it). */
  public CuratorFramework curator() {
    return curator;
  }

  /** The configured root path, for example {@code /zuul}. */
  public String root() {
    return config.root();
  }

  /** The configuration this registry was connected with. */
  public RegistrySettings config() {
    return config;
  }

  /**
   * The {@code model_api} follower every {@link ComponentRegistration} of this registry uses; started
   * on the first call, closed with the registry.
   */
  public ModelApi modelApi() {
    synchronized (stateMonitor) {
      if (modelApi == null) {
        modelApi = new ModelApi(this);
        modelApi.start();
      }
      return modelApi;
    }
  }

  /** Whether the client is connected now, as its connection state listener last reported. */
  public boolean isConnected() {
    return connected.get();
  }

  /**
   * Joins {@code parts} under the root: {@code path("components", "fingergw")} is {@code
   * /zuul/components/fingergw}. Empty parts are skipped; a part may itself contain slashes.
   *
   * @throws IllegalArgumentException when the result is not a valid ZooKeeper path (for example a
   *     {@code ..} segment)
   */
  public String path(String... parts) {
    List<String> nonEmpty = new ArrayList<>(parts.length);
    for (String p : parts) {
      Objects.requireNonNull(p, "path part");
      if (!p.isEmpty()) {
        nonEmpty.add(p);
      }
    }
    String path;
    if (nonEmpty.isEmpty()) {
      path = root();
    } else {
      path = ZKPaths.makePath(root(), nonEmpty.get(0),
          nonEmpty.subList(1, nonEmpty.size()).toArray(new String[0]));
    }
    return PathUtils.validatePath(path);
  }

  /**
   * Closes the Curator client: the session ends and its ephemeral nodes go with it. Idempotent.
   *
   * <p>When ZooKeeper is unreachable, closing the client would block until the session timeout (the
   * close request cannot be delivered); then the client is closed on a background daemon thread and
   * this returns at once. The session expires on the servers by itself.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    boolean wasConnected;
    synchronized (stateMonitor) {
      if (modelApi != null) {
        modelApi.close();
      }
      wasConnected = connected.getAndSet(false);
      stateMonitor.notifyAll();
    }
    if (wasConnected) {
      curator.close();
      LOG.info("Closed ZooKeeper client {}", config.hosts());
      return;
    }
    Thread closer = new Thread(() -> {
      curator.close();
      LOG.debug("Closed ZooKeeper client {} (in the background)", config.hosts());
    }, "registry-close");
    closer.setDaemon(true);
    closer.start();
    LOG.info("ZooKeeper {} unreachable: closing its client in the background", config.hosts());
  }

  @Override
  public String toString() {
    return "Registry{" + config.hosts() + config.root() + (isConnected() ? ", connected" : ", disconnected") + "}";
  }
}
