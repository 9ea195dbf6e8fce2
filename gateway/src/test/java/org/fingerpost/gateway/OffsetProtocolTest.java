package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fingerpost.registry.ComponentDirectory;
import org.fingerpost.registry.ComponentInfo;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RawFingerClient;
import org.fingerpost.transport.finger.FingerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The capability-gated {@code <uuid>@<offset>} extension on the streamer and the gateway (issue 6). */
class OffsetProtocolTest {
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

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void streamerServesFromTheOffsetByteExact() throws Exception {
    byte[] content = randomBytes(300_000, 1);
    String uuid = GatewayCluster.newBuildId();
    cluster.startBuild(uuid, content);
    int offset = 123_457;
    try (RawFingerClient c = RawFingerClient.request(cluster.streamer.port(), uuid + "@" + offset + "\n")) {
      assertArrayEquals(Arrays.copyOfRange(content, offset, content.length),
          c.readExactly(content.length - offset));
    }
  }

  @Test
  void streamerWaitsForAnOffsetBeyondTheEnd() throws Exception {
    byte[] head = "0123456789".getBytes(StandardCharsets.UTF_8);
    String uuid = GatewayCluster.newBuildId();
    Path log = cluster.startBuild(uuid, head);
    try (RawFingerClient c = RawFingerClient.request(cluster.streamer.port(), uuid + "@15\n")) {
      Await.until("stream open", () -> cluster.streamer.activeStreams() == 1);
      GatewayStreamingTest.append(log, "abcdefghij".getBytes(StandardCharsets.UTF_8));
      assertEquals("fghij", new String(c.readExactly(5), StandardCharsets.UTF_8));
      GatewayStreamingTest.deleteTree(jobDir.resolve(uuid));
      assertTrue(c.atEnd());
    }
  }

  @Test
  void gatewayServesFromTheOffsetByteExact() throws Exception {
    byte[] content = randomBytes(200_000, 2);
    String uuid = GatewayCluster.newBuildId();
    cluster.startBuild(uuid, content);
    int offset = 70_001;
    try (RawFingerClient c = RawFingerClient.request(cluster.gateway.port(), uuid + "@" + offset + "\n")) {
      assertArrayEquals(Arrays.copyOfRange(content, offset, content.length),
          c.readExactly(content.length - offset));
    }
    // A plain request of the same build still starts at byte 0.
    try (RawFingerClient c = RawFingerClient.request(cluster.gateway.port(), uuid + "\n")) {
      assertArrayEquals(content, c.readExactly(content.length));
    }
  }

  @Test
  void streamerAndGatewayAdvertiseTheCapability() throws Exception {
    try (ComponentDirectory dir = new ComponentDirectory(cluster.registry)) {
      Await.until("components registered", () -> !list(dir, "executor").isEmpty()
          && !list(dir, Gateway.COMPONENT_KIND).isEmpty());
      for (ComponentInfo c : list(dir, "executor")) {
        assertTrue(c.capabilities().contains(FingerRequest.OFFSET_CAPABILITY), c.toString());
      }
      for (ComponentInfo c : list(dir, Gateway.COMPONENT_KIND)) {
        assertTrue(c.capabilities().contains(FingerRequest.OFFSET_CAPABILITY), c.toString());
      }
    }
  }

  private static java.util.List<ComponentInfo> list(ComponentDirectory dir, String kind) {
    try {
      return dir.list(kind);
    } catch (Exception e) {
      return java.util.List.of();
    }
  }

  @Test
  void zuulPeerWithoutTheCapabilityNeverReceivesAnOffset() throws Exception {
    byte[] log = "0123456789abcdef\n".getBytes(StandardCharsets.UTF_8);
    String uuid = GatewayCluster.newBuildId();
    try (ServerSocket zuul = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> requestLine = CompletableFuture.supplyAsync(() -> {
        try (Socket s = zuul.accept()) {
          s.setSoTimeout(RawFingerClient.READ_TIMEOUT_MS);
          InputStream in = s.getInputStream();
          ByteArrayOutputStream line = new ByteArrayOutputStream();
          int b;
          while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
              break;
            }
          }
          OutputStream out = s.getOutputStream();
          out.write(log);
          out.flush();
          // As Zuul's executor: the build is marked completed before its job directory (and stream) goes.
          completed(uuid, zuul.getLocalPort());
          return line.toString(StandardCharsets.UTF_8);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      cluster.registerExecutor("127.0.0.1", zuul.getLocalPort()); // registered, advertising no capability
      cluster.writeBuildNode("/zuul/executor/unzoned/requests/" + uuid, "{"
          + "\"uuid\": \"" + uuid + "\", \"state\": \"running\", \"tenant_name\": \"example\","
          + "\"worker_info\": {\"hostname\": \"127.0.0.1\", \"log_port\": " + zuul.getLocalPort() + "}}");
      try (RawFingerClient c = RawFingerClient.request(cluster.gateway.port(), uuid + "@5\n")) {
        assertEquals("56789abcdef\n", new String(c.readToEnd(), StandardCharsets.UTF_8));
      }
      assertEquals(uuid + "\n", requestLine.get(20, TimeUnit.SECONDS));
    }
  }

  /** Marks the build {@code completed}, as Zuul's executor does at its end, and waits until the gateway sees it. */
  private void completed(String uuid, int port) throws Exception {
    cluster.zkClient().setData().forPath("/zuul/executor/unzoned/requests/" + uuid, ("{"
        + "\"uuid\": \"" + uuid + "\", \"state\": \"completed\", \"tenant_name\": \"example\","
        + "\"worker_info\": {\"hostname\": \"127.0.0.1\", \"log_port\": " + port + "}}")
        .getBytes(StandardCharsets.UTF_8));
    org.fingerpost.testing.Await.until("the gateway sees build " + uuid + " completed",
        () -> cluster.gateway.builds().find(uuid).map(b -> "completed".equals(b.state())).orElse(false));
  }

  /** A finger peer on a loopback port: records the request line, serves {@code log} from the offset it asked for. */
  private static CompletableFuture<String> servePeer(ServerSocket peer, byte[] log) {
    return CompletableFuture.supplyAsync(() -> {
      try (Socket s = peer.accept()) {
        s.setSoTimeout(RawFingerClient.READ_TIMEOUT_MS);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
          line.write(b);
          if (b == '\n') {
            break;
          }
        }
        String request = line.toString(StandardCharsets.UTF_8);
        int at = request.indexOf('@');
        int offset = at < 0 ? 0 : Integer.parseInt(request.substring(at + 1).strip());
        OutputStream out = s.getOutputStream();
        out.write(log, offset, log.length - offset);
        out.flush();
        return request;
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
  }

  private String openThroughRouter(boolean peerAdvertisesOffset, long offset, byte[] log, ByteArrayOutputStream got)
      throws Exception {
    String uuid = GatewayCluster.newBuildId();
    try (ServerSocket peer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        org.fingerpost.registry.BuildDirectory builds = new org.fingerpost.registry.BuildDirectory(cluster.registry);
        ComponentDirectory components = new ComponentDirectory(cluster.registry)) {
      ComponentInfo.Builder info = ComponentInfo.builder("executor", "127.0.0.1")
          .state(org.fingerpost.registry.ComponentState.RUNNING).extra("log_port", peer.getLocalPort());
      if (peerAdvertisesOffset) {
        info.capabilities(java.util.List.of(FingerRequest.OFFSET_CAPABILITY));
      }
      try (org.fingerpost.registry.ComponentRegistration reg =
          new org.fingerpost.registry.ComponentRegistration(cluster.registry, info.build())) {
        reg.start();
        CompletableFuture<String> requestLine = servePeer(peer, log);
        cluster.writeBuildNode("/zuul/executor/unzoned/requests/" + uuid, "{"
            + "\"uuid\": \"" + uuid + "\", \"state\": \"running\", \"tenant_name\": \"example\","
            + "\"worker_info\": {\"hostname\": \"127.0.0.1\", \"log_port\": " + peer.getLocalPort() + "}}");
        org.fingerpost.streams.StreamRouter router =
            org.fingerpost.streams.StreamRouter.builder(builds, components, cluster.transports)
                .executors(components).build();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        router.openAsync(uuid, null, offset, new org.fingerpost.transport.LogSink() {
          @Override
          public void onData(java.nio.ByteBuffer chunk, Runnable next) {
            byte[] b = new byte[chunk.remaining()];
            chunk.get(b);
            got.write(b, 0, b.length);
            next.run();
          }

          @Override
          public void onEnd() {
            ended.complete(null);
          }

          @Override
          public void onError(org.fingerpost.transport.StreamException error) {
            ended.completeExceptionally(error);
          }
        }, Runnable::run);
        ended.get(20, TimeUnit.SECONDS);
        return requestLine.get(20, TimeUnit.SECONDS).replace(uuid, "<uuid>");
      }
    }
  }

  @Test
  void routerPassesTheOffsetOnlyToAPeerAdvertisingIt() throws Exception {
    byte[] log = "0123456789abcdef\n".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream capable = new ByteArrayOutputStream();
    assertEquals("<uuid>@5\n", openThroughRouter(true, 5, log, capable));
    assertEquals("56789abcdef\n", capable.toString(StandardCharsets.UTF_8));
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    assertEquals("<uuid>\n", openThroughRouter(false, 5, log, plain));
    assertEquals("56789abcdef\n", plain.toString(StandardCharsets.UTF_8));
  }
}
