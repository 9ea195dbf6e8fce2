package org.fingerpost.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.TestZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BuildPublisherTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestingServer server;
  private Registry registry;
  private CuratorFramework observer;

  @BeforeEach
  void setUp() throws Exception {
    server = TestZooKeeper.server();
    registry = ZkTesting.registry(server);
    observer = TestZooKeeper.observer(server);
  }

  @AfterEach
  void tearDown() throws Exception {
    observer.close();
    registry.close();
    server.close();
  }

  @Test
  void publishesZonedBuildInZuulLayout() throws Exception {
    try (BuildPublisher publisher = new BuildPublisher(registry, "example",
        new WorkerInfo("ex1.example.org", 7900, "east"))) {
      publisher.publish("abc123");
      String path = "/zuul/executor/zones/east/requests/abc123";
      assertEquals(path, publisher.path("abc123"));
      Stat stat = observer.checkExists().forPath(path);
      assertNotNull(stat, "visible when publish returns");
      assertEquals(TestZooKeeper.sessionId(registry.curator()), stat.getEphemeralOwner());
      assertEquals(JSON.readTree("{\"uuid\":\"abc123\",\"state\":\"running\",\"tenant_name\":\"example\","
          + "\"worker_info\":{\"hostname\":\"ex1.example.org\",\"log_port\":7900,\"zone\":\"east\"}}"),
          JSON.readTree(observer.getData().forPath(path)));
      assertEquals(Optional.of(new BuildInfo("abc123", "running", "example",
          new WorkerInfo("ex1.example.org", 7900, "east"), "east")), new BuildDirectory(registry).find("abc123"));
      publisher.publish("abc123"); // idempotent
      assertEquals(Set.of("abc123"), publisher.published());
    }
  }

  @Test
  void publishesUnzonedBuildAndRemovesIt() throws Exception {
    try (BuildPublisher publisher = new BuildPublisher(registry, "t",
        new WorkerInfo("ex2", 7900, null, Map.of("transport", "relay")))) {
      publisher.publish("ff00");
      publisher.publish("ff01");
      String path = "/zuul/executor/unzoned/requests/ff00";
      assertEquals(JSON.readTree("{\"uuid\":\"ff00\",\"state\":\"running\",\"tenant_name\":\"t\","
          + "\"worker_info\":{\"hostname\":\"ex2\",\"log_port\":7900,\"transport\":\"relay\"}}"),
          JSON.readTree(observer.getData().forPath(path)));

      publisher.remove("ff00");
      assertNull(observer.checkExists().forPath(path), "deleted when remove returns");
      assertNotNull(observer.checkExists().forPath("/zuul/executor/unzoned/requests/ff01"));
      assertEquals(Set.of("ff01"), publisher.published());
      publisher.remove("ff00"); // not published: nothing to do
    }
  }

  @Test
  void closeRemovesEverything() throws Exception {
    BuildPublisher publisher = new BuildPublisher(registry, "t", new WorkerInfo("ex", 7900, "z"));
    publisher.publish("01");
    publisher.publish("02");
    assertEquals(2, observer.getChildren().forPath("/zuul/executor/zones/z/requests").size());
    publisher.close();
    assertEquals(0, observer.getChildren().forPath("/zuul/executor/zones/z/requests").size());
    assertEquals(Set.of(), publisher.published());
    assertThrows(IllegalStateException.class, () -> publisher.publish("03"));
    publisher.close();
  }

  @Test
  void rejectsInvalidIds() {
    try (BuildPublisher publisher = new BuildPublisher(registry, "t", new WorkerInfo("ex", 7900, null))) {
      assertThrows(IllegalArgumentException.class, () -> publisher.publish("../x"));
      assertThrows(IllegalArgumentException.class, () -> publisher.publish("g1"));
    }
    assertThrows(IllegalArgumentException.class,
        () -> new BuildPublisher(registry, "t", new WorkerInfo("ex", 7900, "a/b")));
  }

  @Test
  void takesOverANodeLeftByAnEarlierSession() throws Exception {
    // The node a killed streamer left: ephemeral of its session, which lives until it expires.
    CuratorFramework killed = TestZooKeeper.observer(server);
    try (BuildPublisher publisher = new BuildPublisher(registry, "t", new WorkerInfo("ex", 7901, "east"))) {
      String path = publisher.path("cafe");
      killed.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path,
          "{\"uuid\":\"cafe\",\"state\":\"running\",\"tenant_name\":\"t\",\"worker_info\":{\"hostname\":\"ex\",\"log_port\":7900,\"zone\":\"east\"}}"
              .getBytes(UTF_8));
      long oldSession = TestZooKeeper.sessionId(killed);

      publisher.publish("cafe"); // neither fails nor skips the build
      assertEquals(Set.of("cafe"), publisher.published());
      assertTrue(publisher.awaitPublished("cafe", TestZooKeeper.AWAIT));
      JsonNode expected = JSON.readTree("{\"uuid\":\"cafe\",\"state\":\"running\",\"tenant_name\":\"t\","
          + "\"worker_info\":{\"hostname\":\"ex\",\"log_port\":7901,\"zone\":\"east\"}}");
      assertEquals(expected, JSON.readTree(observer.getData().forPath(path)), "gateways reach the new process at once");
      assertEquals(oldSession, observer.checkExists().forPath(path).getEphemeralOwner());

      TestZooKeeper.expireSession(killed, server.getConnectString());

      long session = TestZooKeeper.sessionId(registry.curator());
      Await.until("the node owned by the new session once the old one is gone", () -> {
        Stat stat = observer.checkExists().forPath(path);
        return stat != null && stat.getEphemeralOwner() == session;
      });
      assertEquals(expected, JSON.readTree(observer.getData().forPath(path)));
      publisher.remove("cafe");
      assertNull(observer.checkExists().forPath(path));
    } finally {
      killed.close();
    }
  }

  @Test
  void publishesManyBuildsInTheBackground() throws Exception {
    try (BuildPublisher publisher = new BuildPublisher(registry, "t", new WorkerInfo("ex", 7900, "z"))) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        ids.add(String.format("%04x", i));
        publisher.publishInBackground(ids.get(i));
      }
      publisher.publishInBackground(ids.get(0)); // already being published: nothing more
      for (String id : ids) {
        assertTrue(publisher.awaitPublished(id, TestZooKeeper.AWAIT), id);
      }
      long session = TestZooKeeper.sessionId(registry.curator());
      for (String id : ids) {
        Stat stat = observer.checkExists().forPath(publisher.path(id));
        assertNotNull(stat, id);
        assertEquals(session, stat.getEphemeralOwner());
        assertEquals(id, JSON.readTree(observer.getData().forPath(publisher.path(id))).path("uuid").asText());
      }
      assertEquals(Set.copyOf(ids), publisher.published());
      assertTrue(publisher.awaitPublished("ffff", TestZooKeeper.AWAIT), "not published: nothing to wait for");
      assertThrows(IllegalArgumentException.class, () -> publisher.publishInBackground("x-1"));
    }
  }

  @Test
  void recreatedAfterSessionExpiry() throws Exception {
    try (BuildPublisher publisher = new BuildPublisher(registry, "t", new WorkerInfo("ex", 7900, "east"))) {
      publisher.publish("beef");
      String path = publisher.path("beef");
      long oldSession = observer.checkExists().forPath(path).getEphemeralOwner();

      TestZooKeeper.expireSession(registry.curator(), server.getConnectString());

      Await.until("build node re-created by the new session", () -> {
        Stat stat = observer.checkExists().forPath(path);
        return stat != null && stat.getEphemeralOwner() != oldSession
            && stat.getEphemeralOwner() == TestZooKeeper.sessionId(registry.curator());
      });
      assertTrue(new BuildDirectory(registry).find("beef").orElseThrow().isStarted());
    }
  }
}
