package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.fingerpost.streams.SharedStreams;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RawFingerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catch-up upstreams end to end (issue 15, findings 2 and 3): through one gateway, readers slower than
 * the fastest get every byte; only a reader that stops reading is dropped, after {@code
 * slow_client_timeout}; late joiners of a log bigger than the window share a bounded number of
 * upstreams to the streamer.
 */
class CatchUpGatewayTest {
  /** Small, so that readers fall behind and joiners are late within a few MiB. */
  static final long WINDOW = 64 * 1024;
  static final long VIEWER_BUFFER = 64 * 1024;
  static final int CATCH_UPS = 2;
  /** A slow reader's pace: this many bytes per {@link #SLOW_PAUSE_NANOS}, about 3 MB/s. */
  static final int SLOW_READ_BYTES = 16 * 1024;
  static final long SLOW_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  @TempDir
  Path jobDir;
  GatewayCluster cluster;
  ExecutorService readers;

  @BeforeEach
  void start() throws Exception {
    cluster = GatewayCluster.start(jobDir);
    readers = Executors.newCachedThreadPool();
  }

  @AfterEach
  void stop() throws Exception {
    readers.shutdownNow();
    cluster.close();
  }

  @Test
  void slowAndFastReadersOfOneLargeBuildEachGetEveryByte() throws Exception {
    byte[] content = randomBytes(4 * 1024 * 1024, 21);
    try (Gateway gw = gateway(Duration.ofMinutes(10))) {
      String uuid = GatewayCluster.newBuildId();
      cluster.startBuild(uuid, content);
      List<CompletableFuture<byte[]>> got = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        boolean slow = i % 4 == 0; // 4 slow readers among 16, each at its own steady pace
        int pauseFactor = 1 + i / 8;
        got.add(CompletableFuture.supplyAsync(() -> read(gw, uuid, content.length, slow, pauseFactor), readers));
      }
      for (CompletableFuture<byte[]> g : got) {
        assertArrayEquals(content, g.get(120, TimeUnit.SECONDS), "a reader's bytes differ from the log file");
      }
      SharedStreams shared = gw.sharedStreams();
      assertEquals(0, shared.droppedViewers(), "no reader was dropped");
      assertTrue(shared.fellBehind() > 0, "slow readers fell behind the fastest and went on from their offset");
      Await.until("every upstream released", () -> shared.upstreamCount() == 0 && shared.catchUpCount() == 0);
    }
  }

  @Test
  void aReaderThatStopsReadingIsDroppedAfterSlowClientTimeoutAndTheOthersGoOn() throws Exception {
    byte[] content = randomBytes(4 * 1024 * 1024, 22);
    try (Gateway gw = gateway(Duration.ofSeconds(1))) {
      String uuid = GatewayCluster.newBuildId();
      cluster.startBuild(uuid, content);
      // Never reads: its socket fills, then its queue; it falls behind and waits on a catch-up.
      RawFingerClient stopped = RawFingerClient.withReceiveBuffer(gw.port(), 4096).send(uuid + "\n");
      try (stopped; RawFingerClient reader = RawFingerClient.request(gw.port(), uuid + "\n")) {
        assertArrayEquals(content, reader.readExactly(content.length));
        Await.until("the stopped reader dropped", () -> gw.sharedStreams().viewerCount() == 1);
        byte[] partial = stopped.readToEnd(); // what the kernel still held, then the close
        assertTrue(partial.length < content.length, "it stopped reading: " + partial.length);
        assertArrayEquals(Arrays.copyOf(content, partial.length), partial, "what it got is the log's start");
        assertEquals(0, gw.sharedStreams().droppedViewers(), "dropped by its timeout, not for being behind");
        Await.until("its catch-up closed", () -> gw.sharedStreams().catchUpCount() == 0);
      }
    }
  }

  @Test
  void lateJoinersOfALogBiggerThanTheWindowShareBoundedUpstreams() throws Exception {
    byte[] content = randomBytes(4 * 1024 * 1024, 23);
    int lateJoiners = 20;
    try (Gateway gw = gateway(Duration.ofMinutes(10))) {
      String uuid = GatewayCluster.newBuildId();
      cluster.startBuild(uuid, content);
      SharedStreams shared = gw.sharedStreams();
      try (RawFingerClient first = RawFingerClient.request(gw.port(), uuid + "\n")) {
        assertArrayEquals(content, first.readExactly(content.length)); // the window is long gone
        CountDownLatch allAttached = new CountDownLatch(1);
        List<CompletableFuture<byte[]>> got = new ArrayList<>();
        for (int i = 0; i < lateJoiners; i++) {
          got.add(CompletableFuture.supplyAsync(() -> {
            // Reads only once every late joiner is attached: none can catch up meanwhile.
            try (RawFingerClient c = RawFingerClient.withReceiveBuffer(gw.port(), 4096).send(uuid + "\n")) {
              allAttached.await();
              return c.readExactly(content.length);
            } catch (IOException | InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }, readers));
        }
        Await.until("every late joiner attached", () -> shared.viewerCount() == lateJoiners + 1);
        assertEquals(1, shared.upstreamCount());
        assertTrue(shared.catchUpCount() <= CATCH_UPS, "catch-ups " + shared.catchUpCount());
        assertTrue(cluster.streamer.activeStreams() <= 1 + CATCH_UPS,
            "streamer connections for " + (lateJoiners + 1) + " readers: " + cluster.streamer.activeStreams());
        allAttached.countDown();
        for (CompletableFuture<byte[]> g : got) {
          assertArrayEquals(content, g.get(120, TimeUnit.SECONDS));
        }
        // Every catch-up reached the shared tail and closed: one upstream for the build again.
        Await.until("catch-ups merged", () -> shared.catchUpCount() == 0);
        Await.until("one streamer connection", () -> cluster.streamer.activeStreams() == 1);
        assertEquals(1, shared.upstreamCount());
        assertTrue(shared.privateUpstreams() < lateJoiners, "catch-ups opened: " + shared.privateUpstreams());
      }
    }
  }

  private static byte[] read(Gateway gw, String uuid, int length, boolean slow, int pauseFactor) {
    try (RawFingerClient c = slow ? RawFingerClient.withReceiveBuffer(gw.port(), 8192).send(uuid + "\n")
        : RawFingerClient.request(gw.port(), uuid + "\n")) {
      if (!slow) {
        return c.readExactly(length);
      }
      // Slow but steady: a fixed piece, then a pause (pacing, not synchronisation).
      InputStream in = c.input();
      ByteArrayOutputStream out = new ByteArrayOutputStream(length);
      byte[] buf = new byte[SLOW_READ_BYTES];
      while (out.size() < length) {
        int r = in.read(buf, 0, Math.min(buf.length, length - out.size()));
        if (r < 0) {
          break;
        }
        out.write(buf, 0, r);
        LockSupport.parkNanos(SLOW_PAUSE_NANOS * pauseFactor);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Gateway gateway(Duration slowClientTimeout) throws Exception {
    Gateway g = new Gateway(GatewaySettings.builder()
        .listenAddress("127.0.0.1").port(0).hostname("127.0.0.1")
        .sharedWindowBytes(WINDOW).viewerBufferBytes(VIEWER_BUFFER).catchUpUpstreams(CATCH_UPS)
        .slowClientTimeout(slowClientTimeout).build(),
        cluster.registry, cluster.transports);
    g.start();
    cluster.watchedBy(g.builds());
    return g;
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
