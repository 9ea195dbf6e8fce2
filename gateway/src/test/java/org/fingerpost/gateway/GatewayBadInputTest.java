package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fingerpost.testing.RawFingerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad request gets the exact error of docs/design.md 3.1 and leaves the gateway serving others. */
class GatewayBadInputTest {
  static final String INTERNAL = "Internal streaming error";

  @TempDir
  Path jobDir;
  GatewayCluster cluster;
  String goodBuild;
  byte[] goodLog = "a healthy build\n".getBytes(StandardCharsets.UTF_8);

  @BeforeEach
  void start() throws Exception {
    cluster = GatewayCluster.start(jobDir);
    goodBuild = GatewayCluster.newBuildId();
    cluster.startBuild(goodBuild, goodLog);
  }

  @AfterEach
  void stillServesOthersThenStop() throws Exception {
    try (RawFingerClient client = RawFingerClient.request(cluster.gateway.port(), goodBuild + "\n")) {
      assertArrayEquals(goodLog, client.readExactly(goodLog.length), "gateway must keep serving others");
    } finally {
      cluster.close();
    }
  }

  @Test
  void overlongRequestLineIsRefused() throws Exception {
    String line = "a".repeat(2048) + "\n";
    assertEquals(INTERNAL, RawFingerClient.fetchText(cluster.gateway.port(), line));
  }

  @Test
  void requestWithoutNewlineTimesOut() throws Exception {
    long start = System.nanoTime();
    assertEquals(INTERNAL, RawFingerClient.fetchText(cluster.gateway.port(), goodBuild));
    long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(waitedMs >= GatewayCluster.REQUEST_TIMEOUT.toMillis() - 100, "closed too early: " + waitedMs + " ms");
  }

  @Test
  void pathTraversalIsNotAValidBuildId() throws Exception {
    assertEquals("Build ID ../../etc/passwd is not valid",
        RawFingerClient.fetchText(cluster.gateway.port(), "../../etc/passwd\n"));
  }

  @Test
  void unknownBuildIsNotFound() throws Exception {
    assertEquals("Build not found", RawFingerClient.fetchText(cluster.gateway.port(), "0123456789abcdef\n"));
  }

  @Test
  void buildWithoutWorkerInfoDidNotStart() throws Exception {
    String uuid = GatewayCluster.newBuildId();
    cluster.writeBuildNode("/zuul/executor/unzoned/requests/" + uuid,
        "{\"uuid\": \"" + uuid + "\", \"state\": \"requested\", \"tenant_name\": \"tenant-one\"}");
    assertEquals("Build did not start yet", RawFingerClient.fetchText(cluster.gateway.port(), uuid + "\n"));
  }

  @Test
  void upstreamErrorTextIsRelayedUnchanged() throws Exception {
    // The registry says the build runs on our streamer, but the streamer has no such job directory.
    String uuid = GatewayCluster.newBuildId();
    cluster.writeBuildNode("/zuul/executor/unzoned/requests/" + uuid, "{\"uuid\": \"" + uuid
        + "\", \"state\": \"running\", \"worker_info\": {\"hostname\": \"127.0.0.1\", \"log_port\": "
        + cluster.streamer.port() + "}}");
    assertEquals("Build ID " + uuid + " not found", RawFingerClient.fetchText(cluster.gateway.port(), uuid + "\n"));
  }

  @Test
  void unreachableExecutorIsAnInternalError() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    String uuid = GatewayCluster.newBuildId();
    cluster.registerExecutor("127.0.0.1", closedPort); // a registered executor that is down
    cluster.writeBuildNode("/zuul/executor/unzoned/requests/" + uuid, "{\"uuid\": \"" + uuid
        + "\", \"state\": \"running\", \"worker_info\": {\"hostname\": \"127.0.0.1\", \"log_port\": " + closedPort + "}}");
    assertEquals(INTERNAL, RawFingerClient.fetchText(cluster.gateway.port(), uuid + "\n"));
  }

  @Test
  void clientLeavingMidStreamClosesTheUpstreamWithinASecond() throws Exception {
    try (ServerSocket upstream = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String uuid = GatewayCluster.newBuildId();
      cluster.registerExecutor("127.0.0.1", upstream.getLocalPort());
      cluster.writeBuildNode("/zuul/executor/unzoned/requests/" + uuid, "{\"uuid\": \"" + uuid
          + "\", \"state\": \"running\", \"worker_info\": {\"hostname\": \"127.0.0.1\", \"log_port\": "
          + upstream.getLocalPort() + "}}");
      CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
        try {
          return upstream.accept();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      RawFingerClient client = RawFingerClient.request(cluster.gateway.port(), uuid + "\n");
      try (Socket executor = accepted.get(10, TimeUnit.SECONDS)) {
        InputStream fromGateway = executor.getInputStream();
        executor.setSoTimeout(10_000);
        assertEquals(uuid + "\n", readLine(fromGateway));
        executor.getOutputStream().write("streaming...\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("streaming...\n", new String(client.readExactly(13), StandardCharsets.UTF_8));

        client.close();
        // The build is quiet: only the gateway noticing its client left can close this socket.
        executor.setSoTimeout(1000);
        assertEquals(-1, fromGateway.read(), "gateway should close the upstream when its client leaves");
      }
    }
  }

  @Test
  void quietUpstreamIsNotClosedWhileTheClientStays() throws Exception {
    try (ServerSocket upstream = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String uuid = GatewayCluster.newBuildId();
      cluster.registerExecutor("127.0.0.1", upstream.getLocalPort());
      cluster.writeBuildNode("/zuul/executor/unzoned/requests/" + uuid, "{\"uuid\": \"" + uuid
          + "\", \"state\": \"running\", \"worker_info\": {\"hostname\": \"127.0.0.1\", \"log_port\": "
          + upstream.getLocalPort() + "}}");
      try (RawFingerClient client = RawFingerClient.request(cluster.gateway.port(), uuid + "\n");
          Socket executor = upstream.accept()) {
        executor.setSoTimeout((int) GatewayCluster.REQUEST_TIMEOUT.toMillis() + 500);
        assertEquals(uuid + "\n", readLine(executor.getInputStream()));
        // Longer than the request deadline: a silent build must not be cut off.
        assertThrows(SocketTimeoutException.class, () -> executor.getInputStream().read());
        executor.getOutputStream().write("still here\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("still here\n", new String(client.readExactly(11), StandardCharsets.UTF_8));
      }
    }
  }

  private static String readLine(InputStream in) throws Exception {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      sb.append((char) c);
      if (c == '\n') {
        break;
      }
    }
    return sb.toString();
  }
}
