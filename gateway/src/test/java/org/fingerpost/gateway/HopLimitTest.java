package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fingerpost.registry.ComponentInfo;
import org.fingerpost.registry.ComponentRegistration;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RawFingerClient;
import org.fingerpost.testing.cluster.TestCluster.Node;
import org.fingerpost.transport.finger.FingerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 5: relay hops are counted towards gateways that advertise {@code hops}, so a loop of
 * gateways ends with {@value Gateway#TOO_MANY_HOPS} instead of hanging; a peer that does not advertise
 * it (Zuul's fingergw) gets the plain {@code <uuid>\n}.
 */
@Timeout(90)
class HopLimitTest {
  private static final String ZONE = "zone-z";

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

  private ComponentRegistration gatewayEntry(Node<Gateway> on, int port, List<String> capabilities) throws Exception {
    ComponentRegistration entry = new ComponentRegistration(on.registry, ComponentInfo.builder(
        Gateway.COMPONENT_KIND, "127.0.0.1").state(ComponentState.RUNNING).zone(ZONE).publicPort(port)
        .capabilities(capabilities).build());
    entry.start();
    return entry;
  }

  private static void awaitEntries(Node<Gateway> g, long n) {
    Await.until("zone z's gateway entries in the copy", () -> g.component.gateways()
        .list(Gateway.COMPONENT_KIND).stream().filter(c -> ZONE.equals(c.zone())).count() == n);
  }

  /** A build of zone z: no executor registered, so no route but zone z's gateways. */
  private String zoneBuild() throws Exception {
    String uuid = GatewayCluster.newBuildId();
    cluster.writeBuildNode("/zuul/executor/zones/" + ZONE + "/requests/" + uuid, "{\"uuid\": \"" + uuid
        + "\", \"state\": \"running\", \"tenant_name\": \"t\", \"worker_info\": {\"hostname\": \"127.0.0.1\", "
        + "\"log_port\": 1, \"zone\": \"" + ZONE + "\"}}");
    return uuid;
  }

  @Test
  void aLoopOfTwoGatewaysEndsWithAClearError() throws Exception {
    Node<Gateway> a = cluster.gateway("zone-a");
    Node<Gateway> b = cluster.gateway("zone-b");
    List<String> fingerpost = List.of(FingerRequest.OFFSET_CAPABILITY, FingerRequest.HOPS_CAPABILITY);
    // Zone z's gateways, as the registry says: one is really a, the other really b.
    try (ComponentRegistration toA = gatewayEntry(a, a.component.port(), fingerpost);
        ComponentRegistration toB = gatewayEntry(a, b.component.port(), fingerpost)) {
      awaitEntries(a, 2);
      awaitEntries(b, 2);
      String uuid = zoneBuild();
      Await.until("the build in both copies", () -> a.component.builds().find(uuid).isPresent()
          && b.component.builds().find(uuid).isPresent());
      assertEquals(Gateway.TOO_MANY_HOPS, RawFingerClient.fetchText(a.component.port(), uuid + "\n"));
    }
  }

  @Test
  void theHopCountGoesOnlyToPeersThatAdvertiseIt() throws Exception {
    Node<Gateway> a = cluster.gateway("zone-a");
    assertEquals(a.component.gateways().list(Gateway.COMPONENT_KIND).stream().filter(c -> ZONE.equals(c.zone()))
        .count(), 0);
    for (List<String> capabilities : List.of(List.<String>of(), List.of(FingerRequest.HOPS_CAPABILITY))) {
      try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
          ComponentRegistration entry = gatewayEntry(a, peer.getLocalPort(), capabilities)) {
        awaitEntries(a, 1);
        String uuid = zoneBuild();
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
          try (Socket s = peer.accept(); OutputStream out = s.getOutputStream()) {
            String got = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
            // The build ends before its peer closes: a close while it still runs would be resumed.
            cluster.zkClient().delete().forPath("/zuul/executor/zones/" + ZONE + "/requests/" + uuid);
            Await.until("the build gone from the copy", () -> a.component.builds().find(uuid).isEmpty());
            out.write("log".getBytes(StandardCharsets.US_ASCII));
            return got;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        Await.until("the build in the copy", () -> a.component.builds().find(uuid).isPresent());
        assertEquals("log", RawFingerClient.fetchText(a.component.port(), uuid + "\n"));
        assertEquals(capabilities.isEmpty() ? uuid : uuid + "+1", line.get(20, TimeUnit.SECONDS));
      }
      awaitEntries(a, 0);
    }
  }
}
