package org.fingerpost.streamer;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.utils.ZKPaths;

/**
 * Sees what is really in ZooKeeper, through its own client and a {@link CuratorCache} of the whole
 * tree; {@link #await} re-checks a condition on every change the cache reports (no sleeping).
 */
final class ZkObserver implements Closeable {
  static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CuratorFramework client;
  private final CuratorCache cache;
  private final Object changed = new Object();

  ZkObserver(String connectString) throws InterruptedException {
    client = CuratorFrameworkFactory.newClient(connectString, new RetryOneTime(100));
    client.start();
    assertTrue(client.blockUntilConnected((int) TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    cache = CuratorCache.build(client, "/");
    cache.listenable().addListener((type, before, after) -> {
      synchronized (changed) {
        changed.notifyAll();
      }
    });
    cache.start();
  }

  /** Waits until {@code condition} returns a non-null value (evaluated after each change) and returns it. */
  <T> T await(String what, Supplier<T> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    synchronized (changed) {
      while (true) {
        T value = condition.get();
        if (value != null) {
          return value;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail("timed out waiting for " + what + "; tree: " + paths());
        }
        TimeUnit.NANOSECONDS.timedWait(changed, left);
      }
    }
  }

  void awaitAbsent(String path) throws InterruptedException {
    await(path + " to be removed", () -> cache.get(path).isPresent() ? null : Boolean.TRUE);
  }

  /** The node's JSON once it exists and satisfies {@code test}. */
  JsonNode awaitJson(String path, java.util.function.Predicate<JsonNode> test) throws InterruptedException {
    return await(path + " matching", () -> cache.get(path).map(ZkObserver::json).filter(test).orElse(null));
  }

  /** The node as the cache holds it now; fails when absent. */
  ChildData node(String path) {
    return cache.get(path).orElseThrow(() -> new AssertionError("no node " + path));
  }

  Optional<JsonNode> json(String path) {
    return cache.get(path).map(ZkObserver::json);
  }

  /** The direct children of {@code parent}, as node data. */
  List<ChildData> children(String parent) {
    return cache.stream()
        .filter(d -> !d.getPath().equals("/") && ZKPaths.getPathAndNode(d.getPath()).getPath().equals(parent))
        .collect(Collectors.toList());
  }

  List<String> paths() {
    return cache.stream().map(ChildData::getPath).sorted().collect(Collectors.toList());
  }

  static JsonNode json(ChildData d) {
    try {
      return d.getData() == null || d.getData().length == 0 ? JSON.nullNode() : JSON.readTree(d.getData());
    } catch (IOException e) {
      throw new AssertionError("not JSON at " + d.getPath(), e);
    }
  }

  @Override
  public void close() {
    cache.close();
    client.close();
  }
}
