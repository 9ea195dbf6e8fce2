package org.fingerpost.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.TestZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watch-fed directories: same answers as reading ZooKeeper, follow changes, never serve while down. */
class WatchingDirectoriesTest {
  private TestingServer server;
  private Registry registry;
  private CuratorFramework zk;
  private BuildDirectory builds;
  private ComponentDirectory components;

  @BeforeEach
  void setUp() throws Exception {
    server = TestZooKeeper.server();
    registry = ZkTesting.registry(server);
    zk = TestZooKeeper.observer(server);
    zk.create().creatingParentsIfNeeded().forPath("/zuul/executor/zones/east/params/0000", "{\"big\":1}".getBytes(UTF_8));
    builds = BuildDirectory.watching(registry);
    components = ComponentDirectory.watching(registry, "fingergw");
    assertTrue(builds.awaitCacheReady(TestZooKeeper.AWAIT));
    assertTrue(components.awaitCacheReady(TestZooKeeper.AWAIT));
  }

  @AfterEach
  void tearDown() throws Exception {
    builds.close();
    components.close();
    zk.close();
    registry.close();
    server.close();
  }

  private void write(String path, String json) throws Exception {
    zk.create().creatingParentsIfNeeded().forPath(path, json.getBytes(UTF_8));
  }

  @Test
  void findsBuildsOfEveryQueueAndFollowsChanges() throws Exception {
    write("/zuul/executor/unzoned/requests/aa01", "{\"uuid\":\"aa01\",\"tenant_name\":\"t\","
        + "\"worker_info\":{\"hostname\":\"ex1\",\"log_port\":7900}}");
    write("/zuul/executor/zones/east/requests/bb02", "{\"uuid\":\"bb02\",\"tenant_name\":\"t\"}");
    // A miss in the full, connected copy is answered from it (issue 15, finding 6: no read-through), so
    // a node created by another session is found once the watch has brought it.
    Await.until("new nodes in the copy", () -> builds.find("aa01").isPresent() && builds.find("bb02").isPresent());
    assertEquals("ex1", builds.find("aa01").orElseThrow().workerInfo().hostname());
    assertEquals("east", builds.find("bb02").orElseThrow().requestZone());
    assertTrue(builds.isCacheReady());

    zk.setData().forPath("/zuul/executor/zones/east/requests/bb02", ("{\"uuid\":\"bb02\",\"worker_info\":"
        + "{\"hostname\":\"ex2\",\"log_port\":7901,\"zone\":\"east\"}}").getBytes(UTF_8));
    Await.until("worker_info seen", () -> builds.find("bb02").orElseThrow().isStarted());
    assertEquals(new WorkerInfo("ex2", 7901, "east"), builds.find("bb02").orElseThrow().workerInfo());

    zk.delete().forPath("/zuul/executor/unzoned/requests/aa01");
    Await.until("deletion seen", () -> builds.find("aa01").isEmpty());
    assertEquals(Optional.empty(), builds.find("cc03"));
  }

  @Test
  void listsComponentsFromTheCopy() throws Exception {
    write("/zuul/components/fingergw/gw1-0000000001", "{\"kind\":\"fingergw\",\"hostname\":\"gw1\","
        + "\"state\":\"running\",\"zone\":\"east\",\"public_port\":79}");
    Await.until("gateway seen", () -> components.list("fingergw").size() == 1);
    assertEquals("gw1", components.list("fingergw").get(0).hostname());
    zk.delete().forPath("/zuul/components/fingergw/gw1-0000000001");
    Await.until("gateway gone", () -> components.list("fingergw").isEmpty());
    assertEquals(List.of(), components.list("executor"), "other kinds are read from ZooKeeper");
  }

  @Test
  void neverAnswersFromTheCopyWhileDisconnected() throws Exception {
    write("/zuul/executor/unzoned/requests/dd04", "{\"uuid\":\"dd04\"}");
    Await.until("build cached", () -> builds.find("dd04").isPresent());
    server.stop();
    Await.until("disconnected", () -> !registry.isConnected());
    assertThrows(RegistryUnavailableException.class, () -> builds.find("dd04"));
    assertThrows(RegistryUnavailableException.class, () -> components.list("fingergw"));
    server.restart();
    assertTrue(registry.awaitConnected(TestZooKeeper.AWAIT));
    Await.until("served again", () -> builds.find("dd04").isPresent());
  }

  /**
   * A miss is answered from the copy only while it is authoritative: not while disconnected, and after a
   * session loss only once a fresh copy is full (changes made meanwhile are in it).
   */
  @Test
  void missesComeFromTheCopyOnlyWhileItIsAuthoritative() throws Exception {
    write("/zuul/executor/unzoned/requests/ee05", "{\"uuid\":\"ee05\"}");
    Await.until("build cached", () -> builds.find("ee05").isPresent());
    assertTrue(builds.isCacheAuthoritative());
    TestZooKeeper.expireSession(registry.curator(), server.getConnectString());
    zk.delete().forPath("/zuul/executor/unzoned/requests/ee05");
    write("/zuul/executor/zones/west/requests/ff06", "{\"uuid\":\"ff06\"}");
    assertTrue(registry.awaitConnected(TestZooKeeper.AWAIT));
    Await.until("an authoritative copy with the changes", () -> builds.isCacheAuthoritative()
        && builds.find("ee05").isEmpty() && builds.find("ff06").isPresent());
    assertEquals("west", builds.find("ff06").orElseThrow().requestZone());
    assertFalse(builds.find("abcdef").isPresent());
  }
}
