package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.fingerpost.registry.SlowViewerException;
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
    cluster = new WebCluster(jobDir, b -> b.sendBufferBytes(16 * 1024).viewerBufferBytes(64 * 1024)
        .sharedWindowBytes(0).slowClientTimeout(Duration.ofMinutes(5)));
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
}
