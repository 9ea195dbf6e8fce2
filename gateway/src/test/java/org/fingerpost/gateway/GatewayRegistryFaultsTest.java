package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.curator.test.KillSession;
import org.apache.zookeeper.data.Stat;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RawFingerClient;
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
  GatewayCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = GatewayCluster.start(jobDir);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void sessionExpiryRegistersAgainAndStreamsStillWork() throws Exception {
    String uuid = GatewayCluster.newBuildId();
    cluster.startBuild(uuid, "before expiry\n".getBytes(StandardCharsets.UTF_8));
    long oldSession = cluster.curator().getZookeeperClient().getZooKeeper().getSessionId();
    assertEquals(List.of(oldSession), owners(GATEWAYS));

    KillSession.kill(cluster.curator().getZookeeperClient().getZooKeeper());

    // Registered again means: an ephemeral node owned by the new session, with the current state.
    Await.until("gateway and executor registered again by the new session", () -> {
      long session = currentSession();
      return session != oldSession && owners(GATEWAYS).equals(List.of(session))
          && owners(EXECUTORS).equals(List.of(session));
    });
    Await.until("build node published again", () -> cluster.exists("/zuul/executor/unzoned/requests/" + uuid));
    cluster.awaitSeen(uuid); // and in the gateway's watched copy, which answers misses
    String node = cluster.curator().getChildren().forPath(GATEWAYS).get(0);
    String json = new String(cluster.curator().getData().forPath(GATEWAYS + "/" + node), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"state\":\"running\""), json);

    byte[] expected = "before expiry\n".getBytes(StandardCharsets.UTF_8);
    try (RawFingerClient client = RawFingerClient.request(cluster.gateway.port(), uuid + "\n")) {
      assertArrayEquals(expected, client.readExactly(expected.length));
    }
  }

  private long currentSession() {
    try {
      return cluster.curator().getZookeeperClient().getZooKeeper().getSessionId();
    } catch (Exception e) {
      return -1;
    }
  }

  /** The sessions owning the ephemeral nodes under {@code parent}. */
  private List<Long> owners(String parent) {
    try {
      List<Long> owners = new java.util.ArrayList<>();
      for (String child : cluster.curator().getChildren().forPath(parent)) {
        Stat stat = cluster.curator().checkExists().forPath(parent + "/" + child);
        if (stat != null) {
          owners.add(stat.getEphemeralOwner());
        }
      }
      return owners;
    } catch (Exception e) {
      return List.of();
    }
  }

  @Test
  void serverRestartRegistersAgainAndStreamsStillWork() throws Exception {
    String uuid = GatewayCluster.newBuildId();
    cluster.startBuild(uuid, "before restart\n".getBytes(StandardCharsets.UTF_8));

    cluster.zk.restart();

    Await.until("gateway registered after restart", () -> cluster.childCount(GATEWAYS) == 1);
    Await.until("executor registered after restart", () -> cluster.childCount(EXECUTORS) == 1);
    Await.until("build node back", () -> cluster.exists("/zuul/executor/unzoned/requests/" + uuid));
    cluster.awaitSeen(uuid); // and in the gateway's watched copy, which answers misses
    byte[] expected = "before restart\n".getBytes(StandardCharsets.UTF_8);
    try (RawFingerClient client = RawFingerClient.request(cluster.gateway.port(), uuid + "\n")) {
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
