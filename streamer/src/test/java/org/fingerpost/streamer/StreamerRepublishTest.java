package org.fingerpost.streamer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.test.TestingServer;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.TestZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streamer starting with many builds already in its job directory (a restart): every build node is
 * published, with Zuul's path, data and mode; a node left by a killed process's session neither
 * fails nor skips a build and ends up owned by the new session; close leaves no node behind.
 */
@Timeout(120)
class StreamerRepublishTest {
  private static final String HOSTNAME = "executor-7.example.org";
  private static final String REQUESTS = "/zuul/executor/zones/zone-r/requests";
  private static final int BUILDS = 200;

  @TempDir Path jobDir;
  private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
  private TestingServer zk;
  private ZkObserver zoo;

  @BeforeEach
  void setUp() throws Exception {
    zk = closeLater(TestZooKeeper.server());
    zoo = closeLater(new ZkObserver(zk.getConnectString()));
  }

  @AfterEach
  void closeAll() throws Exception {
    while (!toClose.isEmpty()) {
      toClose.pop().close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    toClose.push(c);
    return c;
  }

  private Set<String> writeBuilds(int n) throws Exception {
    Set<String> ids = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      String id = String.format("%08x", 0xb0000000L + i);
      Path log = jobDir.resolve(id).resolve("work/logs/job-output.txt");
      Files.createDirectories(log.getParent());
      Files.writeString(log, "line " + i + "\n");
      ids.add(id);
    }
    return ids;
  }

  private Registry registry() throws InterruptedException {
    Registry r = closeLater(Registry.connect(RegistrySettings.builder(zk.getConnectString())
        .sessionTimeout(TestZooKeeper.SESSION_TIMEOUT).connectionTimeout(TestZooKeeper.CONNECTION_TIMEOUT).build()));
    assertTrue(r.awaitConnected(TestZooKeeper.AWAIT), "registry connects");
    return r;
  }

  private Streamer start(Registry registry) throws Exception {
    Streamer s = closeLater(new Streamer(StreamerSettings.builder(jobDir).port(0).hostname(HOSTNAME)
        .zone("zone-r").tenant("tenant-r").build(), registry));
    s.start();
    return s;
  }

  /** Waits until every build's node holds the body Zuul's build request has for this streamer. */
  private void awaitAllPublished(Set<String> ids, int port, long session) {
    zoo.await(ids.size() + " build nodes of the streamer on port " + port, () -> {
      Map<String, ChildData> nodes = zoo.children(REQUESTS).stream()
          .collect(Collectors.toMap(d -> ZKPaths.getNodeFromPath(d.getPath()), d -> d));
      for (String id : ids) {
        ChildData d = nodes.get(id);
        if (d == null || d.getStat().getEphemeralOwner() != session || !isPublished(ZkObserver.json(d), id, port)) {
          return null;
        }
      }
      return Boolean.TRUE;
    });
  }

  private static boolean isPublished(JsonNode json, String id, int port) {
    JsonNode worker = json.path("worker_info");
    return json.size() == 4 && id.equals(json.path("uuid").asText())
        && "running".equals(json.path("state").asText()) && "tenant-r".equals(json.path("tenant_name").asText())
        && worker.size() == 3 && HOSTNAME.equals(worker.path("hostname").asText())
        && worker.path("log_port").asInt() == port && "zone-r".equals(worker.path("zone").asText());
  }

  @Test
  void publishesEveryBuildFoundAtStart() throws Exception {
    Set<String> ids = writeBuilds(BUILDS);
    Registry registry = registry();
    Streamer s = start(registry);

    awaitAllPublished(ids, s.port(), TestZooKeeper.sessionId(registry.curator()));
    assertEquals(ids, s.publishedBuilds());
    assertEquals(BUILDS, zoo.children(REQUESTS).size());

    s.close();
    zoo.await("no build node", () -> zoo.children(REQUESTS).isEmpty() ? Boolean.TRUE : null);
  }

  @Test
  void takesOverTheNodesOfAKilledProcessAndOwnsThemOnceItsSessionExpires() throws Exception {
    Set<String> ids = writeBuilds(50);
    // The killed process: its ephemeral nodes (old port) stay until its session expires.
    CuratorFramework killed = closeLater(TestZooKeeper.observer(zk));
    for (String id : ids) {
      killed.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(REQUESTS + "/" + id,
          ("{\"uuid\":\"" + id + "\",\"state\":\"running\",\"tenant_name\":\"tenant-r\",\"worker_info\":{"
              + "\"hostname\":\"" + HOSTNAME + "\",\"log_port\":1,\"zone\":\"zone-r\"}}").getBytes(UTF_8));
    }
    long oldSession = TestZooKeeper.sessionId(killed);
    Registry registry = registry();
    Streamer s = start(registry);

    // Neither failed nor skipped: the old nodes carry the new port at once (still the old session's).
    awaitAllPublished(ids, s.port(), oldSession);
    assertEquals(ids, s.publishedBuilds());

    TestZooKeeper.expireSession(killed, zk.getConnectString());
    awaitAllPublished(ids, s.port(), TestZooKeeper.sessionId(registry.curator()));
    assertEquals(ids.size(), zoo.children(REQUESTS).size());
  }

  @Test
  void zooKeeperAwayAtStartGetsEveryNodeWhenItIsBack() throws Exception {
    Set<String> ids = writeBuilds(BUILDS);
    Registry registry = registry();
    zk.stop();
    Await.until("registry disconnected", () -> !registry.isConnected());
    Streamer s = start(registry); // the scan does not wait for an absent ZooKeeper

    zk.restart();
    assertTrue(registry.awaitConnected(TestZooKeeper.AWAIT), "registry reconnects");
    awaitAllPublished(ids, s.port(), TestZooKeeper.sessionId(registry.curator()));
    assertEquals(ids, s.publishedBuilds());
  }

  @Test
  void closeDuringTheFirstPublishLeavesNoNode() throws Exception {
    writeBuilds(BUILDS);
    Registry registry = registry();
    Streamer s = start(registry);
    s.close();

    // ZooKeeper answers a session's requests in order: once this read is answered, any create the
    // streamer sent before has landed (and been deleted again).
    registry.curator().checkExists().forPath("/");
    CuratorFramework check = closeLater(TestZooKeeper.observer(zk));
    check.sync().forPath("/");
    List<String> left = check.checkExists().forPath(REQUESTS) == null ? List.of() : check.getChildren().forPath(REQUESTS);
    assertEquals(List.of(), left);
    assertEquals(Set.of(), s.publishedBuilds());
    assertEquals(ComponentState.STOPPED, s.state());
  }
}
