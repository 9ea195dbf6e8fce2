package org.fingerpost.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.TestZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BuildDirectoryTest {
  /** Bound for failing fast when the registry is down. */
  private static final Duration FAST = Duration.ofSeconds(2);

  private TestingServer server;
  private Registry registry;
  private CuratorFramework zk;
  private BuildDirectory builds;

  @BeforeEach
  void setUp() throws Exception {
    server = TestZooKeeper.server();
    registry = ZkTesting.registry(server);
    zk = TestZooKeeper.observer(server);
    builds = new BuildDirectory(registry);
  }

  @AfterEach
  void tearDown() throws Exception {
    zk.close();
    registry.close();
    server.close();
  }

  private void write(String path, String json) throws Exception {
    zk.create().creatingParentsIfNeeded().forPath(path, json.getBytes(UTF_8));
  }

  @Test
  void findsUnzonedBuild() throws Exception {
    write("/zuul/executor/unzoned/requests/abc123", "{\"uuid\":\"abc123\",\"state\":\"running\","
        + "\"tenant_name\":\"example\",\"worker_info\":{\"hostname\":\"ex1\",\"log_port\":7900}}");
    BuildInfo build = builds.find("abc123").orElseThrow();
    assertEquals("abc123", build.uuid());
    assertEquals("running", build.state());
    assertEquals("example", build.tenantName());
    assertNull(build.requestZone());
    assertEquals(new WorkerInfo("ex1", 7900, null), build.workerInfo());
    assertTrue(build.isStarted());
  }

  @Test
  void findsZonedBuildAmongSeveralZones() throws Exception {
    zk.create().creatingParentsIfNeeded().forPath("/zuul/executor/zones/aaa/requests");
    write("/zuul/executor/zones/east/requests/00ff", "{\"uuid\":\"00ff\",\"state\":\"running\","
        + "\"tenant_name\":\"t\",\"worker_info\":{\"hostname\":\"ex-east\",\"log_port\":7901,\"zone\":\"east\"}}");
    zk.create().creatingParentsIfNeeded().forPath("/zuul/executor/zones/west/requests");
    BuildInfo build = builds.find("00ff").orElseThrow();
    assertEquals("east", build.requestZone());
    assertEquals(new WorkerInfo("ex-east", 7901, "east"), build.workerInfo());
  }

  @Test
  void missingBuildIsEmpty() throws Exception {
    assertEquals(Optional.empty(), builds.find("deadbeef"));
    zk.create().creatingParentsIfNeeded().forPath("/zuul/executor/zones/east/requests");
    zk.create().creatingParentsIfNeeded().forPath("/zuul/executor/unzoned/requests");
    assertEquals(Optional.empty(), builds.find("deadbeef"));
  }

  @Test
  void buildWithoutWorkerInfoIsNotStarted() throws Exception {
    write("/zuul/executor/unzoned/requests/a1", "{\"uuid\":\"a1\",\"state\":\"requested\",\"tenant_name\":\"t\"}");
    write("/zuul/executor/unzoned/requests/a2",
        "{\"uuid\":\"a2\",\"state\":\"requested\",\"tenant_name\":\"t\",\"worker_info\":null}");
    write("/zuul/executor/unzoned/requests/a3",
        "{\"uuid\":\"a3\",\"state\":\"requested\",\"tenant_name\":\"t\",\"worker_info\":{}}");
    write("/zuul/executor/unzoned/requests/a4",
        "{\"uuid\":\"a4\",\"state\":\"running\",\"tenant_name\":\"t\",\"worker_info\":{\"zone\":\"x\"}}");
    for (String id : new String[] {"a1", "a2", "a3", "a4"}) {
      BuildInfo build = builds.find(id).orElseThrow();
      assertFalse(build.isStarted(), id);
      assertNull(build.workerInfo(), id);
      assertEquals("t", build.tenantName());
    }
  }

  @Test
  void readsNodeWrittenByZuulWithExtraKeys() throws Exception {
    // The shape of a Zuul BuildRequest node (zuul/model.py toDict), extra keys and all.
    String uuid = "4a3e8d5bb5a24f6ea1f1c1a1e3b9f0c2";
    write("/zuul/executor/zones/cloud-b/requests/" + uuid, "{"
        + "\"uuid\":\"" + uuid + "\",\"state\":\"running\",\"precedence\":200,\"result_path\":null,"
        + "\"request_time\":1700000000.123,\"zone\":\"cloud-b\",\"build_set_uuid\":\"bs1\",\"job_name\":\"tox-py311\","
        + "\"tenant_name\":\"openstack\",\"pipeline_name\":\"check\",\"event_id\":\"e1\",\"job_uuid\":\"j1\","
        + "\"worker_info\":{\"hostname\":\"ze04.example.org\",\"log_port\":7900,\"zone\":\"cloud-b\","
        + "\"transport\":\"relay\",\"labels\":[\"a\",\"b\"]}}");
    BuildInfo build = builds.find(uuid).orElseThrow();
    assertEquals("openstack", build.tenantName());
    assertEquals("running", build.state());
    assertEquals("cloud-b", build.requestZone());
    WorkerInfo w = build.workerInfo();
    assertEquals("ze04.example.org", w.hostname());
    assertEquals(7900, w.logPort());
    assertEquals("cloud-b", w.zone());
    assertEquals(Map.of("transport", "relay", "labels", "[\"a\",\"b\"]"), w.extra());
    assertEquals(Map.of("hostname", "ze04.example.org", "log_port", "7900", "zone", "cloud-b",
        "transport", "relay", "labels", "[\"a\",\"b\"]"), w.attributes());
    // Upper-case hex is a valid id too.
    write("/zuul/executor/unzoned/requests/ABCDEF", "{\"worker_info\":{\"hostname\":\"h\",\"log_port\":\"7900\"}}");
    BuildInfo upper = builds.find("ABCDEF").orElseThrow();
    assertEquals("ABCDEF", upper.uuid());
    assertEquals(7900, upper.workerInfo().logPort());
  }

  @Test
  void badJsonIsSkipped() throws Exception {
    write("/zuul/executor/unzoned/requests/bad1", "{not json");
    assertEquals(Optional.empty(), builds.find("bad1"));
    write("/zuul/executor/unzoned/requests/bad2", "[1,2]");
    write("/zuul/executor/zones/z/requests/bad2", "{\"uuid\":\"bad2\",\"worker_info\":{\"hostname\":\"h\",\"log_port\":1}}");
    assertEquals("z", builds.find("bad2").orElseThrow().requestZone());
  }

  @Test
  void rejectsIdsThatAreNotHex() {
    for (String id : new String[] {"", "../../zookeeper", "abc/def", "xyz", "12 34", "ab\n"}) {
      assertThrows(IllegalArgumentException.class, () -> builds.find(id), id);
    }
    assertThrows(IllegalArgumentException.class, () -> builds.find(null));
  }

  @Test
  void registryDownFailsFast() throws Exception {
    server.stop();
    Await.until("disconnect noticed", () -> !registry.isConnected());
    long started = System.nanoTime();
    assertThrows(RegistryUnavailableException.class, () -> builds.find("abc"));
    assertThrows(RegistryUnavailableException.class, () -> new ComponentDirectory(registry).list("fingergw"));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertTrue(took.compareTo(FAST) < 0, "took " + took);
  }

  @Test
  void neverConnectedRegistryFailsFast() throws Exception {
    try (Registry offline = Registry.connect(ZkTesting.config("127.0.0.1:" + InstanceSpec.getRandomPort()))) {
      BuildDirectory offlineBuilds = new BuildDirectory(offline);
      long started = System.nanoTime();
      assertThrows(RegistryUnavailableException.class, () -> offlineBuilds.find("abc"));
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertTrue(took.compareTo(FAST) < 0, "took " + took);
    }
  }

  /** list() answers from the watched copy only: every request node, with Zuul's job and pipeline. */
  @Test
  void listsEveryRequestFromTheWatchedCopy() throws Exception {
    assertThrows(RegistryUnavailableException.class, () -> builds.list(), "no copy: never a ZooKeeper read");
    write("/zuul/executor/zones/cloud-b/requests/aa01", "{\"uuid\":\"aa01\",\"state\":\"running\","
        + "\"request_time\":1700000000.5,\"job_name\":\"tox-py311\",\"pipeline_name\":\"check\","
        + "\"tenant_name\":\"t\",\"worker_info\":{\"hostname\":\"ze04\",\"log_port\":7900,\"zone\":\"cloud-b\"}}");
    write("/zuul/executor/unzoned/requests/bb02", "{\"uuid\":\"bb02\",\"state\":\"completed\",\"tenant_name\":\"t\","
        + "\"project\":\"org/repo\"}");
    write("/zuul/executor/unzoned/requests/cc03", "{not json");
    try (BuildDirectory watching = BuildDirectory.watching(registry)) {
      assertTrue(watching.awaitCacheReady(Duration.ofSeconds(10)));
      Map<String, BuildSummary> byId = new java.util.HashMap<>();
      for (BuildSummary b : watching.list()) {
        byId.put(b.build().uuid(), b);
      }
      assertEquals(java.util.Set.of("aa01", "bb02"), byId.keySet(), "bad JSON skipped");
      BuildSummary zuul = byId.get("aa01");
      assertEquals("tox-py311", zuul.job());
      assertEquals("check", zuul.pipeline());
      assertNull(zuul.project());
      assertEquals("cloud-b", zuul.build().requestZone());
      assertEquals("ze04", zuul.build().workerInfo().hostname());
      assertEquals(java.time.Instant.ofEpochMilli(1_700_000_000_500L), zuul.requested());
      assertFalse(zuul.isCompleted());
      BuildSummary done = byId.get("bb02");
      assertTrue(done.isCompleted());
      assertEquals("org/repo", done.project());
      assertNull(done.build().requestZone());
      assertTrue(done.requested().isAfter(java.time.Instant.now().minusSeconds(600)), "the node's creation time");
    }
  }
}
