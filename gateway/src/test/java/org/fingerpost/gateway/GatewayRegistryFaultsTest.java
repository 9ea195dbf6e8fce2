package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.curator.test.KillSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Losing the ZooKeeper session or the server: components come back and new streams work, no restart. */
class GatewayRegistryFaultsTest {
  static final String GATEWAYS = "/zuul/components/fingergw";
  static final String EXECUTORS = "/zuul/components/executor";

  @TempDir
  Path jobDir;
  TestCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.start(jobDir);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void sessionExpiryRegistersAgainAndStreamsStillWork() throws Exception {
    String uuid = TestCluster.newBuildId();
    cluster.startBuild(uuid, "before expiry\n".getBytes(StandardCharsets.UTF_8));
    List<String> before = cluster.curator().getChildren().forPath(GATEWAYS);
    assertEquals(1, before.size());

    KillSession.kill(cluster.curator().getZookeeperClient().getZooKeeper());

    Await.until("gateway registered again under a new node", () -> {
      try {
        List<String> now = cluster.curator().getChildren().forPath(GATEWAYS);
        return now.size() == 1 && !now.equals(before);
      } catch (Exception e) {
        return false;
      }
    });
    Await.until("executor registered again", () -> cluster.childCount(EXECUTORS) == 1);
    Await.until("build node published again", () -> cluster.exists("/zuul/executor/unzoned/requests/" + uuid));
    String node = cluster.curator().getChildren().forPath(GATEWAYS).get(0);
    String json = new String(cluster.curator().getData().forPath(GATEWAYS + "/" + node), StandardCharsets.UTF_8);
    assertEquals(true, json.contains("\"state\":\"running\""), json);
    assertNotEquals(before.get(0), node);

    byte[] expected = "before expiry\n".getBytes(StandardCharsets.UTF_8);
    try (FingerTestClient client = FingerTestClient.send(cluster.gateway.port(), uuid + "\n")) {
      assertArrayEquals(expected, client.readExactly(expected.length));
    }
  }

  @Test
  void serverRestartRegistersAgainAndStreamsStillWork() throws Exception {
    String uuid = TestCluster.newBuildId();
    cluster.startBuild(uuid, "before restart\n".getBytes(StandardCharsets.UTF_8));

    cluster.zk.restart();

    Await.until("gateway registered after restart", () -> cluster.childCount(GATEWAYS) == 1);
    Await.until("executor registered after restart", () -> cluster.childCount(EXECUTORS) == 1);
    Await.until("build node back", () -> cluster.exists("/zuul/executor/unzoned/requests/" + uuid));
    byte[] expected = "before restart\n".getBytes(StandardCharsets.UTF_8);
    try (FingerTestClient client = FingerTestClient.send(cluster.gateway.port(), uuid + "\n")) {
      assertArrayEquals(expected, client.readExactly(expected.length));
    }
  }

  @Test
  void shutdownMarksComponentsStoppedAndRemovesThem() throws Exception {
    Await.until("both registered", () -> cluster.childCount(GATEWAYS) == 1 && cluster.childCount(EXECUTORS) == 1);
    cluster.gateway.close();
    Await.until("gateway node removed", () -> cluster.childCount(GATEWAYS) == 0);
    cluster.streamer.close();
    Await.until("executor node removed", () -> cluster.childCount(EXECUTORS) == 0);
  }
}
