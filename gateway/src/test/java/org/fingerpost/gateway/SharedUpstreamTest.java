package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.fingerpost.streams.SharedStreams;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RawFingerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent finger clients of one build share one upstream stream (issue 6). */
class SharedUpstreamTest {
  static final int VIEWERS = 120;

  @TempDir
  Path jobDir;
  GatewayCluster cluster;
  ExecutorService readers;

  @BeforeEach
  void start() throws Exception {
    cluster = GatewayCluster.start(jobDir);
    readers = Executors.newFixedThreadPool(VIEWERS);
  }

  @AfterEach
  void stop() throws Exception {
    readers.shutdownNow();
    cluster.close();
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Every client reads exactly {@code expected}, in parallel. */
  private void allRead(List<RawFingerClient> clients, byte[] expected) throws Exception {
    List<CompletableFuture<?>> reads = new ArrayList<>();
    for (RawFingerClient c : clients) {
      reads.add(CompletableFuture.runAsync(() -> {
        try {
          if (!Arrays.equals(expected, c.readExactly(expected.length))) {
            throw new AssertionError("a viewer got different bytes");
          }
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      }, readers));
    }
    CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
  }

  @Test
  void manyViewersShareOneUpstreamAndALateJoinerStartsAtByteZero() throws Exception {
    String uuid = GatewayCluster.newBuildId();
    byte[] head = randomBytes(64 * 1024, 1);
    Path log = cluster.startBuild(uuid, head);
    List<RawFingerClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < VIEWERS; i++) {
        clients.add(RawFingerClient.request(cluster.gateway.port(), uuid + "\n"));
      }
      allRead(clients, head);
      assertEquals(1, cluster.streamer.activeStreams(), "streamer connections for " + VIEWERS + " viewers");
      assertEquals(1, cluster.gateway.sharedStreams().upstreamCount());
      assertEquals(VIEWERS, cluster.gateway.sharedStreams().viewerCount());
      assertEquals(1.0, cluster.gateway.metrics().registry().get("fingerpost.shared.upstreams").gauge().value());
      assertEquals(VIEWERS, cluster.gateway.metrics().registry().get("fingerpost.shared.viewers").gauge().value());

      byte[] tail = randomBytes(512 * 1024, 2);
      GatewayStreamingTest.append(log, tail);
      allRead(clients, tail);

      // Joins after 576 KiB went by: replayed from the window, then the shared tail.
      RawFingerClient late = RawFingerClient.request(cluster.gateway.port(), uuid + "\n");
      clients.add(late);
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.write(head);
      all.write(tail);
      assertArrayEquals(all.toByteArray(), late.readExactly(all.size()));
      byte[] more = "one more line\n".getBytes(StandardCharsets.UTF_8);
      GatewayStreamingTest.append(log, more);
      allRead(clients, more);
      assertEquals(1, cluster.streamer.activeStreams());
      assertEquals(0, cluster.gateway.sharedStreams().privateUpstreams());

      // Everyone leaves: the shared upstream closes with the last viewer.
      for (RawFingerClient c : clients) {
        c.close();
      }
      Await.until("shared upstream closed", () -> cluster.gateway.sharedStreams().upstreamCount() == 0);
      Await.until("streamer stream closed", () -> cluster.streamer.activeStreams() == 0);
      assertEquals(0, cluster.gateway.sharedStreams().viewerCount());
    } finally {
      for (RawFingerClient c : clients) {
        c.close();
      }
    }
  }

  @Test
  void allViewersSeeTheEndOfTheLog() throws Exception {
    String uuid = GatewayCluster.newBuildId();
    byte[] head = randomBytes(10_000, 3);
    cluster.startBuild(uuid, head);
    List<RawFingerClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        clients.add(RawFingerClient.request(cluster.gateway.port(), uuid + "\n"));
      }
      allRead(clients, head);
      GatewayStreamingTest.deleteTree(jobDir.resolve(uuid));
      for (RawFingerClient c : clients) {
        assertTrue(c.atEnd(), "stream should end for every viewer");
      }
      Await.until("shared upstream released", () -> cluster.gateway.sharedStreams().upstreamCount() == 0);
    } finally {
      for (RawFingerClient c : clients) {
        c.close();
      }
    }
  }

  @Test
  void lateJoinerPastTheWindowGetsItsOwnUpstreamFromByteZero() throws Exception {
    try (Gateway small = smallGateway(16 * 1024, 1024 * 1024)) {
      String uuid = GatewayCluster.newBuildId();
      byte[] head = randomBytes(100_000, 4);
      cluster.startBuild(uuid, head);
      try (RawFingerClient first = RawFingerClient.request(small.port(), uuid + "\n")) {
        assertArrayEquals(head, first.readExactly(head.length));
        try (RawFingerClient late = RawFingerClient.request(small.port(), uuid + "\n")) {
          assertArrayEquals(head, late.readExactly(head.length));
        }
        assertEquals(1, small.sharedStreams().privateUpstreams());
      }
    }
  }

  @Test
  void slowViewerIsDroppedAndTheOthersContinue() throws Exception {
    int buffer = 64 * 1024;
    // With catch-ups off (catchup_upstreams 0): a slow viewer is dropped (CatchUpGatewayTest: with them).
    try (Gateway small = smallGateway(64 * 1024, buffer, 0)) {
      String uuid = GatewayCluster.newBuildId();
      byte[] head = "start\n".getBytes(StandardCharsets.UTF_8);
      Path log = cluster.startBuild(uuid, head);
      // Never reads: its socket buffers fill, then its queue in the gateway.
      RawFingerClient slow = RawFingerClient.withReceiveBuffer(small.port(), 4096).send(uuid + "\n");
      try (slow; RawFingerClient fast = RawFingerClient.request(small.port(), uuid + "\n")) {
        assertArrayEquals(head, fast.readExactly(head.length));
        Await.until("both viewers attached", () -> small.sharedStreams().viewerCount() == 2);
        byte[] tail = randomBytes(16 * 1024 * 1024, 5);
        GatewayStreamingTest.append(log, tail);
        assertArrayEquals(tail, fast.readExactly(tail.length));
        Await.until("slow viewer dropped", () -> small.sharedStreams().droppedViewers() == 1);
        assertEquals(1, small.sharedStreams().viewerCount());
        assertEquals(1, small.sharedStreams().upstreamCount());
        // What the slow viewer got is a prefix of the log; the upstream never waited for it.
        byte[] got = slow.readToEnd();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(head);
        all.write(tail);
        byte[] log2 = all.toByteArray();
        assertTrue(got.length < log2.length, "slow viewer cannot have everything: " + got.length);
        int prefix = got.length;
        String suffix = "Internal streaming error";
        if (new String(got, StandardCharsets.ISO_8859_1).endsWith(suffix)) {
          prefix -= suffix.length();
        }
        assertArrayEquals(Arrays.copyOf(log2, prefix), Arrays.copyOf(got, prefix));
      }
    }
  }

  private Gateway smallGateway(long window, long viewerBuffer) throws Exception {
    return smallGateway(window, viewerBuffer, SharedStreams.DEFAULT_CATCH_UP_UPSTREAMS);
  }

  private Gateway smallGateway(long window, long viewerBuffer, int catchUps) throws Exception {
    Gateway g = new Gateway(GatewaySettings.builder()
        .listenAddress("127.0.0.1").port(0).hostname("127.0.0.1")
        .sharedWindowBytes(window).viewerBufferBytes(viewerBuffer).catchUpUpstreams(catchUps).build(),
        cluster.registry, cluster.transports);
    g.start();
    cluster.watchedBy(g.builds());
    return g;
  }
}
