package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.fingerpost.registry.ComponentInfo;
import org.fingerpost.registry.ComponentRegistration;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streams.StreamRouter;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RawFingerClient;
import org.fingerpost.testing.cluster.TestCluster.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Issue 15, finding 5: a gateway dials a build's worker only where a registered executor serves it, and
 * never routes to its own address (docs/operations.md "Routing guards").
 */
class RoutingGuardsTest {
  static final String INTERNAL = "Internal streaming error";

  @TempDir
  Path dir;
  GatewayCluster cluster;
  ListAppender<ILoggingEvent> logs;

  @BeforeEach
  void start() throws Exception {
    cluster = GatewayCluster.zones(dir);
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(StreamRouter.class)).addAppender(logs);
  }

  @AfterEach
  void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger(StreamRouter.class)).detachAppender(logs);
    cluster.close();
  }

  private long refusalWarnings() {
    return logs.list.stream().filter(e -> e.getLevel() == Level.WARN
        && e.getFormattedMessage().contains("Refusing to dial the worker")).count();
  }

  /** A {@code worker_info} naming a port no executor registered (here an SSH server) is never dialled. */
  @Test
  void workerThatNoRegisteredExecutorServesIsNeverDialled() throws Exception {
    Node<Gateway> gateway = cluster.gateway(null);
    cluster.streamer((String) null); // an executor on 127.0.0.1, at its own log port
    try (ServerSocket ssh = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> dialled = CompletableFuture.runAsync(() -> {
        try (Socket s = ssh.accept(); OutputStream out = s.getOutputStream()) {
          out.write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (Exception e) {
          // closed by the test
        }
      });
      String uuid = GatewayCluster.newBuildId();
      cluster.writeBuildNode("/zuul/executor/unzoned/requests/" + uuid, "{\"uuid\": \"" + uuid
          + "\", \"state\": \"running\", \"tenant_name\": \"t\", \"worker_info\": {\"hostname\": \"127.0.0.1\", "
          + "\"log_port\": " + ssh.getLocalPort() + "}}");
      for (int i = 0; i < 3; i++) {
        assertEquals(INTERNAL, RawFingerClient.fetchText(gateway.component.port(), uuid + "\n"));
      }
      assertFalse(dialled.isDone(), "the gateway connected to a port no executor registered");
      assertEquals(1, refusalWarnings(), "one WARN a minute, however often a client asks");
    }
  }

  /** A {@code worker_info} naming the gateway itself is refused at once instead of looping. */
  @Test
  void workerAtTheGatewaysOwnAddressIsRefused() throws Exception {
    Node<Gateway> gateway = cluster.gateway(null);
    // Even registered as an executor (a misconfigured host), the gateway's own address is no route.
    cluster.registerExecutor("127.0.0.1", gateway.component.port());
    String uuid = GatewayCluster.newBuildId();
    cluster.writeBuildNode("/zuul/executor/unzoned/requests/" + uuid, "{\"uuid\": \"" + uuid
        + "\", \"state\": \"running\", \"tenant_name\": \"t\", \"worker_info\": {\"hostname\": \"127.0.0.1\", "
        + "\"log_port\": " + gateway.component.port() + "}}");
    assertEquals(INTERNAL, RawFingerClient.fetchText(gateway.component.port(), uuid + "\n"));
  }

  /**
   * A {@code fingergw} entry of the worker's zone that points back at the asking gateway is skipped: the
   * build is served through the rule's fallback (the executor directly) instead of a silent loop.
   */
  @Test
  void gatewayEntryPointingBackAtTheGatewayIsNoLoop() throws Exception {
    Node<Gateway> gatewayA = cluster.gateway("zone-a");
    Node<Streamer> executorB = cluster.streamer("zone-b");
    ComponentInfo loop = ComponentInfo.builder(Gateway.COMPONENT_KIND, "127.0.0.1").state(ComponentState.RUNNING)
        .zone("zone-b").publicPort(gatewayA.component.port()).build();
    try (ComponentRegistration entry = new ComponentRegistration(gatewayA.registry, loop)) {
      entry.start();
      Await.until("the looping entry in gateway A's copy", () -> gatewayA.component.gateways()
          .list(Gateway.COMPONENT_KIND).stream().anyMatch(g -> "zone-b".equals(g.zone())));
      String uuid = GatewayCluster.newBuildId();
      byte[] content = "served by zone b's executor\n".getBytes(StandardCharsets.UTF_8);
      cluster.startBuildSeen(executorB, uuid, content);
      try (RawFingerClient client = RawFingerClient.request(gatewayA.component.port(), uuid + "\n")) {
        assertArrayEquals(content, client.readExactly(content.length));
      }
    }
  }
}
