package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.fingerpost.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many viewers and slow viewers: each websocket's bounded send buffer isolates it from the others. */
class ConsoleStreamLoadTest {
  /** Small, so a client that stops reading fills it quickly. */
  static final int SEND_BUFFER_BYTES = 64 * 1024;
  static final Duration SLOW_CLIENT_TIMEOUT = Duration.ofSeconds(1);
  static final int VIEWERS = 500;

  @TempDir
  static Path jobDir;
  static WebCluster cluster;
  static WebSocketClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = new WebCluster(jobDir, b -> b.sendBufferBytes(SEND_BUFFER_BYTES).slowClientTimeout(SLOW_CLIENT_TIMEOUT));
    client = WsClient.newClient();
  }

  @AfterAll
  static void stop() throws Exception {
    client.stop();
    cluster.close();
  }

  @Test
  void clientThatStopsReadingIsClosedWithAReasonAndOthersAreUnaffected() throws Exception {
    // Much more than the TCP buffers on both sides plus the send buffer: the slow client must stall.
    String log = ConsoleStreamTest.randomLog(7, 200_000);
    String uuid = WebCluster.newBuildId();
    cluster.startBuild(uuid, log.getBytes(StandardCharsets.UTF_8));
    WsClient slow = WsClient.connect(client, cluster.consoleStream(WebCluster.TENANT));
    slow.pause();
    slow.send("{\"uuid\": \"" + uuid + "\", \"logfile\": \"console.log\"}");
    WsClient fast = WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid);

    Await.until("the slow client dropped", () -> cluster.services.slowClients().count() >= 1);
    Await.until("the fast client got everything", () -> fast.text.length() >= log.length());
    assertEquals(log, fast.text.toString());
    cluster.endBuild(uuid);
    assertEquals(new WsClient.Close(1000, "No more data"), fast.awaitClose());

    slow.resume(); // read what the socket holds, then the close frame
    WsClient.Close close = slow.awaitClose();
    assertEquals(1008, close.code(), close.toString());
    assertTrue(close.reason().startsWith("Client too slow"), close.reason());
    assertTrue(slow.text.length() < log.length(), "the slow client cannot have received everything");
  }

  @Test
  void fiveHundredViewersOfOneBuild() throws Exception {
    String uuid = WebCluster.newBuildId();
    String first = "first line \u00e9\u6f22\n";
    Path file = cluster.startBuild(uuid, first.getBytes(StandardCharsets.UTF_8));
    List<CompletableFuture<WsClient>> opening = new ArrayList<>();
    for (int i = 0; i < VIEWERS; i++) {
      opening.add(CompletableFuture.supplyAsync(() -> {
        try {
          return WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    List<WsClient> viewers = new ArrayList<>();
    for (CompletableFuture<WsClient> f : opening) {
      viewers.add(f.get(60, TimeUnit.SECONDS));
    }
    Await.until("every viewer has the first line", () -> viewers.stream().allMatch(v -> v.text.toString().equals(first)));
    String second = "second line \ud83d\ude00\n";
    WebCluster.append(file, second.getBytes(StandardCharsets.UTF_8));
    Await.until("every viewer has the appended line",
        () -> viewers.stream().allMatch(v -> v.text.toString().equals(first + second)));
    cluster.endBuild(uuid);
    for (WsClient v : viewers) {
      assertEquals(new WsClient.Close(1000, "No more data"), v.awaitClose());
    }
    Await.until("no websocket left open", () -> cluster.services.openSockets().get() == 0);
  }
}
