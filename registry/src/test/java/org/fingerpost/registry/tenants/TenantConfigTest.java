package org.fingerpost.registry.tenants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading Zuul's sharded, zlib'd, lock-guarded system configuration from a real ZooKeeper. */
class TenantConfigTest {
  static final Duration AWAIT = Duration.ofSeconds(15);
  /** Small shards so that every document spans several, as a large Zuul system's does. */
  static final int SHARD_BYTES = 64;

  private TestingServer server;
  private Registry registry;
  private CuratorFramework zuul;
  private ZuulConfWriter writer;
  private TenantConfig config;
  private final LinkedBlockingQueue<Object> seen = new LinkedBlockingQueue<>();
  private final List<TenantConfig.Snapshot> all = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new TestingServer(true);
    registry = Registry.connect(RegistrySettings.builder(server.getConnectString())
        .sessionTimeout(Duration.ofSeconds(5)).connectionTimeout(Duration.ofSeconds(5)).build());
    assertTrue(registry.awaitConnected(AWAIT));
    zuul = KazooLockTest.client(server);
    writer = new ZuulConfWriter(zuul, "/zuul", SHARD_BYTES);
  }

  private void watch() {
    config = new TenantConfig(registry);
    config.addListener(s -> {
      all.add(s == null ? TenantConfig.Snapshot.absentConfig() : s);
      seen.add(s == null ? "unknown" : s);
    });
    config.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (config != null) {
      config.close();
    }
    zuul.close();
    registry.close();
    server.close();
  }

  static Map<String, Object> abide(String tenant, String rule, String group) {
    return Map.of(
        "tenants", Map.of(tenant, Map.of("name", tenant, "access-rules", List.of(rule), "source", Map.of())),
        "authz_rules", List.of(Map.of("name", rule, "conditions", List.of(Map.of("groups", group)))),
        "api_roots", List.of());
  }

  private TenantConfig.Snapshot next() throws InterruptedException {
    Object o = seen.poll(AWAIT.toSeconds(), TimeUnit.SECONDS);
    assertNotNull(o, "a snapshot is published");
    return o instanceof TenantConfig.Snapshot s ? s : null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> tenants(TenantConfig.Snapshot s) {
    return (Map<String, Object>) s.unparsedAbide().get("tenants");
  }

  @Test
  void absentNodeIsKnownAndEmpty() throws Exception {
    watch();
    TenantConfig.Snapshot s = next();
    assertTrue(s.absent());
  }

  @Test
  void readsAShardedDocumentAndFollowsRewrites() throws Exception {
    writer.write(abide("alpha", "alpha-readers", "alpha-team"));
    assertTrue(zuul.getChildren().forPath("/zuul/system/conf").size() > 1, "several shards");
    watch();
    assertEquals(Map.of("alpha", Map.of("name", "alpha", "access-rules", List.of("alpha-readers"),
        "source", Map.of())), tenants(next()));
    writer.write(abide("beta", "beta-readers", "beta-team"));
    TenantConfig.Snapshot s = next();
    while (!tenants(s).containsKey("beta")) {
      s = next(); // the truncate may be seen first as its own change, never as a partial document
    }
    assertEquals(List.of("beta-readers"), ((Map<?, ?>) tenants(s).get("beta")).get("access-rules"));
  }

  @Test
  void neverSeesAWriteInProgress() throws Exception {
    writer.write(abide("alpha", "r", "g"));
    watch();
    next();
    byte[] data = ZuulConfWriter.compress(abide("gamma", "gamma-readers", "gamma-team"));
    // Zuul's writer mid-write: lock held, shards truncated, only the first one written.
    try (KazooLock lock = KazooLock.write(zuul, "/zuul/system/conf-lock").acquire(AWAIT)) {
      writer.truncate();
      writer.writeShards(data, 1);
      assertNull(seen.poll(300, TimeUnit.MILLISECONDS), "nothing is read while the write lock is held");
      zuul.delete().deletingChildrenIfNeeded().forPath("/zuul/system/conf");
      writer.writeShards(data, Integer.MAX_VALUE);
    }
    TenantConfig.Snapshot s = next();
    assertEquals(List.of("gamma"), List.copyOf(tenants(s).keySet()));
    for (TenantConfig.Snapshot each : all) {
      assertFalse(each.absent(), "never saw the truncated state");
    }
  }

  @Test
  void aTornWriteWithoutTheLockMakesTheConfigurationUnknownUntilRewritten() throws Exception {
    writer.write(abide("alpha", "r", "g"));
    watch();
    next();
    // A writer that ignores the lock leaves half a stream.
    byte[] data = ZuulConfWriter.compress(abide("delta", "r", "g"));
    writer.truncate();
    writer.shard(java.util.Arrays.copyOf(data, data.length / 2));
    Object o;
    do {
      o = seen.poll(AWAIT.toSeconds(), TimeUnit.SECONDS);
      assertNotNull(o);
    } while (!"unknown".equals(o));
    assertNull(config.current(), "unreadable data: unknown, so protected tenants are closed");
    writer.write(abide("delta", "r", "g"));
    assertNotNull(config.awaitKnown(AWAIT));
    TenantConfig.Snapshot s;
    do {
      s = next();
    } while (s == null || s.absent());
    assertTrue(tenants(s).containsKey("delta"));
  }

  @Test
  void unknownWhileZooKeeperIsDownAtStart() throws Exception {
    server.stop();
    watch();
    assertNull(config.awaitKnown(Duration.ofMillis(300)));
    server.restart();
    assertNotNull(config.awaitKnown(AWAIT), "read once ZooKeeper is back");
  }

  @Test
  void readsZuulsOldPerShardCompression() throws Exception {
    byte[] a = ZuulConfWriter.compress(abide("old", "r", "g"));
    byte[] json = new java.util.zip.InflaterInputStream(new java.io.ByteArrayInputStream(a)).readAllBytes();
    int half = json.length / 2;
    byte[] s0 = deflate(java.util.Arrays.copyOfRange(json, 0, half));
    byte[] s1 = deflate(java.util.Arrays.copyOfRange(json, half, json.length));
    assertEquals(new String(json, java.nio.charset.StandardCharsets.UTF_8),
        new String(ConfigShards.inflate(List.of(s0, s1)), java.nio.charset.StandardCharsets.UTF_8));
  }

  private static byte[] deflate(byte[] in) {
    java.util.zip.Deflater d = new java.util.zip.Deflater();
    d.setInput(in);
    d.finish();
    byte[] buf = new byte[in.length + 64];
    int n = d.deflate(buf);
    d.end();
    return java.util.Arrays.copyOf(buf, n);
  }

  @Test
  void aReadLockNotHadInTimeIsTriedAgain() throws Exception {
    writer.write(abide("alpha", "r", "g"));
    try (KazooLock held = KazooLock.write(zuul, "/zuul/system/conf-lock").acquire(AWAIT)) {
      config = new TenantConfig(registry, Duration.ofMillis(200), Duration.ofMillis(200));
      config.start();
      assertNull(config.awaitKnown(Duration.ofMillis(500)), "unknown while Zuul holds the write lock");
    } // released without any change: no watch fires, the retry reads it
    assertTrue(tenants(config.awaitKnown(AWAIT)).containsKey("alpha"));
  }
}
