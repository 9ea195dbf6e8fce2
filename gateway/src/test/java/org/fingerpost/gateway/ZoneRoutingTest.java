package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.apache.curator.test.KillSession;
import org.apache.zookeeper.data.Stat;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RawFingerClient;
import org.fingerpost.testing.cluster.TestCluster.Node;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streams.StreamMetrics;
import org.fingerpost.transport.StreamTarget.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The routing sequence of the zones issue, end to end with real gateways, each case asserted by the
 * route counters of every gateway and by byte-identical output.
 */
class ZoneRoutingTest {
  static final String GATEWAYS = "/zuul/components/fingergw";

  @TempDir
  Path dir;
  GatewayCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = GatewayCluster.zones(dir);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  static byte[] log(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Requests {@code uuid} from {@code gateway} and checks the first {@code expected.length} bytes. */
  static void assertStreams(Node<Gateway> gateway, String uuid, byte[] expected) throws Exception {
    try (RawFingerClient client = RawFingerClient.request(gateway.component.port(), uuid + "\n")) {
      assertArrayEquals(expected, client.readExactly(expected.length));
    }
  }

  static long count(Node<Gateway> g, Route route) {
    return g.component.metrics().openedCount(route);
  }

  /** The routes every gateway took so far, for readable failures: direct/gateway/fallback each. */
  static String routes(Node<Gateway> g) {
    StreamMetrics m = g.component.metrics();
    return m.openedCount(Route.DIRECT) + "/" + m.openedCount(Route.GATEWAY) + "/"
        + m.openedCount(Route.DIRECT_FALLBACK);
  }

  @Test
  void routingSequenceForAnExecutorInEuCentral() throws Exception {
    Node<Streamer> executor = cluster.streamer("eu-central");
    String uuid = GatewayCluster.newBuildId();
    byte[] content = log(300_000, 1);
    cluster.startBuildSeen(executor, uuid, content);
    Node<Gateway> usWest = cluster.gateway("us-west");
    Node<Gateway> unzoned = cluster.gateway(null);

    // (a) us-west client, no eu-central gateway yet: direct fallback.
    assertStreams(usWest, uuid, content);
    assertEquals("0/0/1", routes(usWest));
    // (b) unzoned gateway: the executor directly (no gateway of its zone either).
    assertStreams(unzoned, uuid, content);
    assertEquals("0/0/1", routes(unzoned));

    // (c) an eu-central gateway starts: us-west -> eu-central -> executor.
    Node<Gateway> euCentral = cluster.gateway("eu-central");
    awaitRunningGateways(3);
    assertStreams(usWest, uuid, content);
    assertEquals("0/1/1", routes(usWest));
    assertEquals("1/0/0", routes(euCentral), "eu-central went to its executor directly");
    // (d) the unzoned gateway also goes through eu-central (with its own upstream there, issue 6).
    Await.until("eu-central upstreams closed", () -> euCentral.component.sharedStreams().upstreamCount() == 0);
    assertStreams(unzoned, uuid, content);
    assertEquals("0/1/1", routes(unzoned));
    assertEquals("2/0/0", routes(euCentral));
    // (e) a client of the eu-central gateway: directly, never another hop. Once the relayed streams
    // are gone, so that it opens its own upstream instead of joining a shared one (issue 6).
    Await.until("eu-central upstreams closed", () -> euCentral.component.sharedStreams().upstreamCount() == 0);
    assertStreams(euCentral, uuid, content);
    assertEquals("3/0/0", routes(euCentral));
    assertEquals("0/1/1", routes(usWest));
    assertEquals("0/1/1", routes(unzoned));
  }

  @Test
  void anUnzonedExecutorIsAlwaysReachedDirectly() throws Exception {
    Node<Streamer> executor = cluster.streamer(null);
    String uuid = GatewayCluster.newBuildId();
    byte[] content = log(50_000, 2);
    cluster.startBuildSeen(executor, uuid, content);
    List<Node<Gateway>> gateways = List.of(cluster.gateway("us-west"), cluster.gateway(null),
        cluster.gateway("eu-central"));
    awaitRunningGateways(3);
    for (Node<Gateway> g : gateways) {
      assertStreams(g, uuid, content);
      assertEquals("1/0/0", routes(g), "zone " + g.component.metrics());
    }
  }

  @Test
  void anUnreachableGatewayOfTheZoneFailsOverToTheExecutor() throws Exception {
    Node<Streamer> executor = cluster.streamer("eu-central");
    String uuid = GatewayCluster.newBuildId();
    byte[] content = log(20_000, 3);
    cluster.startBuildSeen(executor, uuid, content);
    Node<Gateway> usWest = cluster.gateway("us-west");
    Node<Gateway> euCentral = cluster.gateway("eu-central");
    awaitRunningGateways(2);
    // Registered as running but no longer listening: the relay fails over to the executor.
    String path = euCentralGatewayNode();
    byte[] data = cluster.zkClient().getData().forPath(path);
    euCentral.component.close();
    cluster.zkClient().create().withMode(org.apache.zookeeper.CreateMode.EPHEMERAL)
        .forPath(GATEWAYS + "/ghost-0000000099", data);
    assertStreams(usWest, uuid, content);
    assertEquals("0/1/0", routes(usWest), "routed to a gateway, which failed over to the executor");
  }

  @Test
  void anUnreachableGatewayOfTheZoneFailsOverToAnotherOfTheZone() throws Exception {
    Node<Streamer> executor = cluster.streamer("eu-central");
    String uuid = GatewayCluster.newBuildId();
    byte[] content = log(30_000, 6);
    cluster.startBuildSeen(executor, uuid, content);
    Node<Gateway> usWest = cluster.gateway("us-west");
    Node<Gateway> dead = cluster.gateway("eu-central");
    awaitRunningGateways(2);
    byte[] data = cluster.zkClient().getData().forPath(euCentralGatewayNode());
    dead.component.close();
    Node<Gateway> live = cluster.gateway("eu-central");
    // The dead gateway stays registered as running: whichever the relay tries first, the stream
    // must come through the live one, never the executor directly.
    cluster.zkClient().create().withMode(org.apache.zookeeper.CreateMode.EPHEMERAL)
        .forPath(GATEWAYS + "/ghost-0000000098", data);
    awaitRunningGateways(3);
    ch.qos.logback.classic.Logger failover = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        "org.fingerpost.transport.relay.internal.FailoverStream");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> warnings =
        new ch.qos.logback.core.read.ListAppender<>();
    warnings.start();
    failover.addAppender(warnings);
    try {
      // The first gateway is random: ask until the dead one was tried first at least once (each
      // request has an even chance; 40 misses in a row would be a broken random choice).
      for (int i = 1; i <= 40 && warnings.list.isEmpty(); i++) {
        assertStreams(usWest, uuid, content);
        assertEquals("0/" + i + "/0", routes(usWest));
        assertEquals(i + "/0/0", routes(live), "relayed by the live eu-central gateway");
      }
    } finally {
      failover.detachAppender(warnings);
    }
    assertTrue(warnings.list.stream().anyMatch(e -> e.getFormattedMessage().contains("trying gateway")),
        "the dead gateway was tried and the relay failed over to the live one");
  }

  private String euCentralGatewayNode() throws Exception {
    for (String child : cluster.zkClient().getChildren().forPath(GATEWAYS)) {
      String json = new String(cluster.zkClient().getData().forPath(GATEWAYS + "/" + child),
          StandardCharsets.UTF_8);
      if (json.contains("\"zone\":\"eu-central\"")) {
        return GATEWAYS + "/" + child;
      }
    }
    throw new AssertionError("no eu-central gateway registered");
  }

  @Test
  void gatewaySessionExpiryWhileRelayingKeepsTheStreamAndRegistersAgain() throws Exception {
    Node<Streamer> executor = cluster.streamer("eu-central");
    String uuid = GatewayCluster.newBuildId();
    byte[] first = log(100_000, 4);
    Path logFile = cluster.startBuildSeen(executor, uuid, first);
    Node<Gateway> usWest = cluster.gateway("us-west");
    Node<Gateway> euCentral = cluster.gateway("eu-central");
    awaitRunningGateways(2);
    try (RawFingerClient client = RawFingerClient.request(usWest.component.port(), uuid + "\n")) {
      assertArrayEquals(first, client.readExactly(first.length));
      assertEquals("0/1/0", routes(usWest));
      long oldUs = sessionOf(usWest);
      long oldEu = sessionOf(euCentral);
      KillSession.kill(usWest.registry.curator().getZookeeperClient().getZooKeeper());
      KillSession.kill(euCentral.registry.curator().getZookeeperClient().getZooKeeper());
      Await.until("both gateways registered again by new sessions", () -> {
        List<Long> owners = owners();
        long us = sessionOf(usWest);
        long eu = sessionOf(euCentral);
        return us != oldUs && eu != oldEu && owners.contains(us) && owners.contains(eu) && owners.size() == 2;
      });
      byte[] more = log(100_000, 5);
      Files.write(logFile, more, StandardOpenOption.APPEND);
      assertArrayEquals(more, client.readExactly(more.length), "the relayed stream continued");
    }
    String node = euCentralGatewayNode();
    String json = new String(cluster.zkClient().getData().forPath(node), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"state\":\"running\""), json);
  }

  private static long sessionOf(Node<Gateway> g) {
    try {
      return g.registry.curator().getZookeeperClient().getZooKeeper().getSessionId();
    } catch (Exception e) {
      return -1;
    }
  }

  private List<Long> owners() {
    try {
      List<Long> owners = new java.util.ArrayList<>();
      for (String child : cluster.zkClient().getChildren().forPath(GATEWAYS)) {
        Stat stat = cluster.zkClient().checkExists().forPath(GATEWAYS + "/" + child);
        if (stat != null) {
          owners.add(stat.getEphemeralOwner());
        }
      }
      return owners;
    } catch (Exception e) {
      return List.of();
    }
  }

  private void awaitRunningGateways(int n) {
    Await.until(n + " running gateways", () -> {
      try {
        int running = 0;
        for (String child : cluster.zkClient().getChildren().forPath(GATEWAYS)) {
          byte[] data = cluster.zkClient().getData().forPath(GATEWAYS + "/" + child);
          if (new String(data, StandardCharsets.UTF_8).contains("\"state\":\"running\"")) {
            running++;
          }
        }
        return running == n;
      } catch (Exception e) {
        return false;
      }
    });
  }
}
