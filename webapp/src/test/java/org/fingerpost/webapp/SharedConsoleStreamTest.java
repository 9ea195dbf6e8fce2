package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.fingerpost.streams.SlowViewerException;
import org.fingerpost.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Websockets watching one build on one web node share one upstream stream (issue 6). */
class SharedConsoleStreamTest {
  static final int VIEWERS = 50;

  @TempDir
  Path jobDir;
  WebCluster cluster;
  WebSocketClient client;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.stop();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String text(int bytes, long seed) {
    Random random = new Random(seed);
    StringBuilder b = new StringBuilder(bytes);
    while (b.length() < bytes) {
      b.append((char) (b.length() % 80 == 79 ? '\n' : 'a' + random.nextInt(26)));
    }
    return b.toString();
  }

  @Test
  void viewersOfOneBuildShareOneUpstreamAndALateJoinerStartsAtByteZero() throws Exception {
    cluster = WebCluster.start(jobDir);
    client = WsClient.newClient();
    String uuid = WebCluster.newBuildId();
    String head = text(20_000, 1);
    Path log = cluster.startBuild(uuid, head.getBytes(StandardCharsets.UTF_8));
    List<WsClient> viewers = new ArrayList<>();
    for (int i = 0; i < VIEWERS; i++) {
      viewers.add(WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid));
    }
    for (WsClient v : viewers) {
      Await.until("viewer got the head", () -> v.text.length() >= head.length());
    }
    assertEquals(1, cluster.streamer.activeStreams(), "streamer connections for " + VIEWERS + " websockets");
    assertEquals(1, cluster.services.sharedStreams().upstreamCount());
    assertEquals(VIEWERS, cluster.services.sharedStreams().viewerCount());

    String tail = text(200_000, 2);
    WebCluster.append(log, tail.getBytes(StandardCharsets.UTF_8));
    WsClient late = WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid);
    viewers.add(late);
    for (WsClient v : viewers) {
      Await.until("viewer got the tail", () -> v.text.length() >= head.length() + tail.length());
      assertEquals(head + tail, v.text.toString());
    }
    assertEquals(1, cluster.streamer.activeStreams());

    cluster.endBuild(uuid);
    for (WsClient v : viewers) {
      assertEquals(1000, v.awaitClose().code());
    }
    Await.until("shared upstream released", () -> cluster.services.sharedStreams().upstreamCount() == 0);
    assertEquals(0, cluster.services.sharedStreams().viewerCount());
  }

  @Test
  void slowWebsocketIsClosed1008AndTheOthersContinue() throws Exception {
    // With catch-ups off (catchup_upstreams 0): a viewer falling behind is closed 1008.
    cluster = new WebCluster(jobDir, b -> b.sendBufferBytes(16 * 1024).viewerBufferBytes(64 * 1024)
        .sharedWindowBytes(64 * 1024).slowClientTimeout(Duration.ofMinutes(5)).catchUpUpstreams(0));
    client = WsClient.newClient();
    String uuid = WebCluster.newBuildId();
    Path log = cluster.startBuild(uuid, "start\n".getBytes(StandardCharsets.UTF_8));
    WsClient slow = WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid);
    WsClient fast = WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid);
    Await.until("both viewers got the head", () -> slow.text.length() == 6 && fast.text.length() == 6);
    slow.pause();
    String tail = text(8 * 1024 * 1024, 3);
    WebCluster.append(log, tail.getBytes(StandardCharsets.UTF_8));
    Await.until("fast viewer got the tail", Duration.ofSeconds(60),
        () -> fast.text.length() >= 6 + tail.length());
    assertEquals("start\n" + tail, fast.text.toString());
    Await.until("slow viewer dropped", () -> cluster.services.sharedStreams().droppedViewers() == 1);
    assertEquals(1, cluster.services.sharedStreams().upstreamCount());
    slow.resume();
    WsClient.Close close = slow.awaitClose();
    assertEquals(1008, close.code());
    assertEquals(SlowViewerException.REASON, close.reason());
    fast.close();
  }

  @Test
  void offsetInTheFirstMessageStartsThereAtACharacterBoundary() throws Exception {
    cluster = WebCluster.start(jobDir);
    client = WsClient.newClient();
    String uuid = WebCluster.newBuildId();
    String log = "h\u00e9llo w\u00f6rld \u2713 done\n";
    byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
    cluster.startBuild(uuid, bytes);
    int o = "h\u00e9llo w".getBytes(StandardCharsets.UTF_8).length; // 'ö' starts here
    int check = "h\u00e9llo w\u00f6rld ".getBytes(StandardCharsets.UTF_8).length; // '✓' starts here
    expectFrom(uuid, o, "\u00f6rld \u2713 done\n");
    expectFrom(uuid, o + 1, "rld \u2713 done\n");
    expectFrom(uuid, check + 1, " done\n");
    expectFrom(uuid, check + 2, " done\n");
    expectFrom(uuid, 0, log);

    WsClient bad = WsClient.connect(client, cluster.consoleStream(WebCluster.TENANT));
    bad.send("{\"uuid\": \"" + uuid + "\", \"logfile\": \"console.log\", \"offset\": -3}");
    WsClient.Close close = bad.awaitClose();
    assertEquals(4000, close.code());
    assertEquals("'offset' must be a non-negative integer", close.reason());
  }

  private void expectFrom(String uuid, long offset, String expected) throws Exception {
    int expectedBytes = expected.getBytes(StandardCharsets.UTF_8).length;
    WsClient ws = WsClient.connect(client, cluster.consoleStream(WebCluster.TENANT));
    ws.send("{\"uuid\": \"" + uuid + "\", \"logfile\": \"console.log\", \"offset\": " + offset + "}");
    Await.until("text from offset " + offset,
        () -> ws.text.toString().getBytes(StandardCharsets.UTF_8).length >= expectedBytes);
    String got = ws.text.toString();
    ws.close();
    assertEquals(expected, got, "from offset " + offset);
  }
}
