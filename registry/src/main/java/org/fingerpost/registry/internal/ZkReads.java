package org.fingerpost.registry.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistryUnavailableException;

/**
 * Bounded ZooKeeper reads for request paths. A read is refused at once when the registry is not
 * connected, and otherwise runs as a Curator background operation whose answer is awaited at most
 * until a deadline: Curator's own foreground calls would retry for several connection timeouts when
 * the connection drops mid-call, which a user waiting for a log must not see. Several reads can be in
 * flight at once and share one deadline. Thread-safe. Not API.
 */
public final class ZkReads {
  private final Registry registry;
  private final Duration timeout;

  public ZkReads(Registry registry, Duration timeout) {
    this.registry = registry;
    this.timeout = timeout;
  }

  /**
   * Starts one lookup made of several reads: checks the connection and returns the deadline (a
   * {@link System#nanoTime()} value) shared by its reads.
   *
   * @throws RegistryUnavailableException when the registry is not connected
   */
  public long begin() throws RegistryUnavailableException {
    if (!registry.isConnected()) {
      throw new RegistryUnavailableException("ZooKeeper " + registry.config().hosts() + " is not connected");
    }
    return System.nanoTime() + timeout.toNanos();
  }

  /** Starts reading a node's data. */
  public CompletableFuture<CuratorEvent> getData(String path) {
    CompletableFuture<CuratorEvent> answer = new CompletableFuture<>();
    try {
      registry.curator().getData().inBackground((client, event) -> answer.complete(event)).forPath(path);
    } catch (Exception e) {
      answer.completeExceptionally(e);
    }
    return answer;
  }

  /** Starts listing a node's children. */
  public CompletableFuture<CuratorEvent> getChildren(String path) {
    CompletableFuture<CuratorEvent> answer = new CompletableFuture<>();
    try {
      registry.curator().getChildren().inBackground((client, event) -> answer.complete(event)).forPath(path);
    } catch (Exception e) {
      answer.completeExceptionally(e);
    }
    return answer;
  }

  /**
   * The data of a read started with {@link #getData}, or null when the node does not exist.
   *
   * @throws RegistryUnavailableException on a connection problem, any other ZooKeeper error, the
   *     deadline passing, or interruption (the flag is kept)
   */
  public byte[] data(CompletableFuture<CuratorEvent> read, String path, long deadline)
      throws RegistryUnavailableException {
    CuratorEvent event = await(read, path, deadline);
    return event == null ? null : event.getData();
  }

  /** The children of a listing started with {@link #getChildren}; empty when the node does not exist. */
  public List<String> children(CompletableFuture<CuratorEvent> read, String path, long deadline)
      throws RegistryUnavailableException {
    CuratorEvent event = await(read, path, deadline);
    return event == null || event.getChildren() == null ? List.of() : event.getChildren();
  }

  /** The event for a successful read, null for NONODE. */
  private CuratorEvent await(CompletableFuture<CuratorEvent> read, String path, long deadline)
      throws RegistryUnavailableException {
    CuratorEvent event;
    try {
      event = read.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new RegistryUnavailableException("No answer from ZooKeeper for " + path + " within "
          + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("Interrupted while reading " + path, e);
    } catch (ExecutionException e) {
      throw new RegistryUnavailableException("Cannot read " + path + ": " + e.getCause(), e.getCause());
    }
    KeeperException.Code code = KeeperException.Code.get(event.getResultCode());
    if (code == KeeperException.Code.OK) {
      return event;
    }
    if (code == KeeperException.Code.NONODE) {
      return null;
    }
    throw new RegistryUnavailableException("Cannot read " + path + ": " + code,
        KeeperException.create(code, path));
  }
}
