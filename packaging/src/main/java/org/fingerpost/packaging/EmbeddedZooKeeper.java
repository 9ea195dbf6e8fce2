package org.fingerpost.packaging;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.server.NIOServerCnxnFactory;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone ZooKeeper server inside this JVM, for the demo and for trying Fingerpost without an
 * ensemble: ZooKeeper's own {@link ZooKeeperServer} behind an {@link NIOServerCnxnFactory}, listening
 * on {@code 127.0.0.1} only, storing its snapshots and transaction log in the given directory (so data
 * survives a restart on the same directory).
 *
 * <p>Not for production: a single server, no authentication, and container nodes are never reaped
 * (the reaper belongs to ZooKeeper's main class), which is harmless for a demo's lifetime.
 *
 * <p><b>Ownership and threads.</b> The caller of {@link #start} owns the server and closes it after its
 * clients. Thread-safe; {@link #close()} is idempotent.
 */
public final class EmbeddedZooKeeper implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedZooKeeper.class);

  /** ZooKeeper's basic time unit, in ms; the session timeout bounds are multiples of it. */
  public static final int TICK_TIME_MS = 2_000;
  /** Shortest session timeout granted, in ms (ZooKeeper's default: two ticks). */
  public static final int MIN_SESSION_TIMEOUT_MS = 2 * TICK_TIME_MS;
  /** Longest session timeout granted, in ms: Zuul's default of 120 s is honoured. */
  public static final int MAX_SESSION_TIMEOUT_MS = 120_000;
  /** Most connections from one address (everything here is local, so: from all clients). */
  public static final int MAX_CLIENT_CONNECTIONS = 1_000;
  /** Pending TCP connections the listening socket queues (-1: the JDK default). */
  private static final int LISTEN_BACKLOG = -1;
  /** The only address it listens on. */
  public static final String HOST = "127.0.0.1";

  private final ZooKeeperServer server;
  private final ServerCnxnFactory connections;
  private final FileTxnSnapLog storage;
  private final Path dataDir;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedZooKeeper(ZooKeeperServer server, ServerCnxnFactory connections, FileTxnSnapLog storage,
      Path dataDir, int port) {
    this.server = server;
    this.connections = connections;
    this.storage = storage;
    this.dataDir = dataDir;
    this.port = port;
  }

  /**
   * Starts a server storing its data in {@code dataDir} (created if missing) and listening on {@code
   * 127.0.0.1:port}.
   *
   * @param port the TCP port; 0 picks a free one ({@link #port()} tells which)
   * @throws IOException when the directory is unusable or the port cannot be bound; an interruption
   *     while starting is an {@link InterruptedIOException} with the interrupt flag kept
   */
  public static EmbeddedZooKeeper start(Path dataDir, int port) throws IOException {
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    Files.createDirectories(dataDir);
    FileTxnSnapLog storage = new FileTxnSnapLog(dataDir.toFile(), dataDir.toFile());
    ZooKeeperServer server = new ZooKeeperServer(storage, TICK_TIME_MS, MIN_SESSION_TIMEOUT_MS,
        MAX_SESSION_TIMEOUT_MS, LISTEN_BACKLOG, null, "");
    NIOServerCnxnFactory connections = new NIOServerCnxnFactory();
    try {
      connections.configure(new InetSocketAddress(InetAddress.getByName(HOST), port), MAX_CLIENT_CONNECTIONS);
      connections.startup(server);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(connections, server, storage);
      throw new InterruptedIOException("Interrupted while starting ZooKeeper");
    } catch (IOException | RuntimeException e) {
      stop(connections, server, storage);
      throw e;
    }
    EmbeddedZooKeeper zk = new EmbeddedZooKeeper(server, connections, storage, dataDir,
        connections.getLocalPort());
    LOG.info("Embedded ZooKeeper listening on {} (data in {})", zk.connectString(), dataDir);
    return zk;
  }

  /** The connect string for clients: {@code 127.0.0.1:<port>}. */
  public String connectString() {
    return HOST + ":" + port;
  }

  /** The port actually bound. */
  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Whether the server is up and serving. */
  public boolean isRunning() {
    return !closed.get() && server.isRunning();
  }

  /** Stops accepting connections, closes every session's connection and the data files. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      stop(connections, server, storage);
      LOG.info("Embedded ZooKeeper on port {} stopped", port);
    }
  }

  private static void stop(ServerCnxnFactory connections, ZooKeeperServer server, FileTxnSnapLog storage) {
    try {
      connections.shutdown();
    } catch (RuntimeException e) {
      LOG.warn("Stopping ZooKeeper connections failed", e);
    }
    try {
      server.shutdown();
    } catch (RuntimeException e) {
      LOG.warn("Stopping ZooKeeper failed", e);
    }
    try {
      storage.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("Closing ZooKeeper data files failed", e);
    }
  }

  @Override
  public String toString() {
    return "EmbeddedZooKeeper{" + connectString() + ", " + dataDir + "}";
  }
}
