package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RawFingerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 15, finding 6: unknown build ids cost ZooKeeper nothing once the gateway's watched copy is full
 * and connected. Counted on the ZooKeeper server itself: the packets it received ({@code srvr}, the one
 * four-letter command ZooKeeper always allows), before and after the lookups.
 */
class UnknownBuildCostTest {
  private static final Logger LOG = LoggerFactory.getLogger(UnknownBuildCostTest.class);
  static final int LOOKUPS = 200;
  private static final Pattern RECEIVED = Pattern.compile("Received: (\\d+)");

  @TempDir
  Path jobDir;
  GatewayCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = GatewayCluster.start(jobDir);
    // A zone queue as well: without the copy, each miss read the unzoned node, the zone list and every zone.
    cluster.writeBuildNode("/zuul/executor/zones/zone-b/requests/" + GatewayCluster.newBuildId(),
        "{\"state\": \"requested\", \"tenant_name\": \"t\"}");
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void unknownBuildsAreAnsweredFromTheWatchedCopy() throws Exception {
    Await.until("the gateway's copy is authoritative", () -> cluster.gateway.builds().isCacheAuthoritative());
    long before = received();
    for (int i = 0; i < LOOKUPS; i++) {
      assertEquals("Build not found", RawFingerClient.fetchText(cluster.gateway.port(), GatewayCluster.newBuildId() + "\n"));
    }
    long requests = received() - before - 1; // less this count's own connection
    LOG.info("{} unknown build ids through the gateway: {} packets received by ZooKeeper", LOOKUPS, requests);
    // Session pings and the like only: a lookup that read ZooKeeper cost at least three packets.
    assertTrue(requests < LOOKUPS / 10, requests + " ZooKeeper packets for " + LOOKUPS + " unknown builds");
  }

  /** Packets received by the ZooKeeper server so far. */
  private long received() throws Exception {
    String[] hostPort = cluster.zk.getConnectString().split(":");
    try (Socket s = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
      OutputStream out = s.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String stats = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      Matcher m = RECEIVED.matcher(stats);
      assertTrue(m.find(), stats);
      return Long.parseLong(m.group(1));
    }
  }
}
