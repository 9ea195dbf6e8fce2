package org.fingerpost.streamer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
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
import org.awaitility.core.ConditionTimeoutException;
import org.fingerpost.testing.Await;

/**
 * Sees what is really in ZooKeeper, through its own client and a {@link CuratorCache} of the whole
 * tree; {@link #await} re-checks a condition against the cache with {@link Await} (no sleeping).
 */
final class ZkObserver implements Closeable {
  static final Duration TIMEOUT = Await.DEFAULT;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CuratorFramework client;
  private final CuratorCache cache;

  ZkObserver(String connectString) throws InterruptedException {
    client = CuratorFrameworkFactory.newClient(connectString, new RetryOneTime(100));
    client.start();
    assertTrue(client.blockUntilConnected((int) TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
    cache = CuratorCache.build(client, "/");
    cache.start();
  }

  /** Waits until {@code condition} returns a non-null value (re-checked against the cache) and returns it. */
  <T> T await(String what, Supplier<T> condition) {
    try {
      return Await.await(what).atMost(TIMEOUT).until(condition::get, Objects::nonNull);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("timed out waiting for " + what + "; tree: " + paths(), e);
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
