package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.fingerpost.testing.Await;
import org.fingerpost.webapp.internal.ConsoleCloses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The websockets of one build on one web node share one decoding of each chunk, and the node's send
 * buffers are held to a total budget by closing the slowest websocket (issue 15, finding 3).
 */
class WebsocketFanoutTest {
  static final int VIEWERS = 20;
  static final int STEP_BYTES = 64 * 1024;

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

  /** Log text with two- and three-byte characters, so that chunks end inside characters. */
  static String text(int chars, long seed) {
    Random random = new Random(seed);
    StringBuilder b = new StringBuilder(chars);
    while (b.length() < chars) {
      int r = random.nextInt(40);
      b.append(b.length() % 80 == 79 ? '\n' : r == 0 ? '\u00e9' : r == 1 ? '\u2713' : (char) ('a' + r % 26));
    }
    return b.toString();
  }

  private double counter(String name) {
    return cluster.services.prometheus().get(name).counter().count();
  }

  @Test
  void websocketsOfOneBuildShareOneDecodingOfEachChunk() throws Exception {
    cluster = new WebCluster(jobDir, b -> b.viewerBufferBytes(64L * 1024 * 1024));
    client = WsClient.newClient();
    String uuid = WebCluster.newBuildId();
    String head = text(10_000, 1);
    Path log = cluster.startBuild(uuid, head.getBytes(StandardCharsets.UTF_8));
    List<WsClient> viewers = new ArrayList<>();
    for (int i = 0; i < VIEWERS; i++) {
      viewers.add(WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid));
    }
    for (WsClient v : viewers) {
      Await.until("viewer got the head", () -> v.text.length() >= head.length());
    }
    String tail = text(300_000, 2);
    WebCluster.append(log, tail.getBytes(StandardCharsets.UTF_8));
    for (WsClient v : viewers) {
      Await.until("viewer got the tail", Duration.ofSeconds(60), () -> v.text.length() >= head.length() + tail.length());
      assertEquals(head + tail, v.text.toString());
    }
    double decoded = counter("fingerpost.web.text.decoded");
    double reused = counter("fingerpost.web.text.reused");
    assertTrue(decoded > 0, "chunks decoded");
    assertEquals((VIEWERS - 1) * decoded, reused, "every chunk decoded once, reused by the other viewers");
    cluster.endBuild(uuid);
    for (WsClient v : viewers) {
      assertEquals(1000, v.awaitClose().code());
    }
  }

  @Test
  void overTheBudgetTheSlowestWebsocketIsClosedAndResumesFromItsOffset() throws Exception {
    long budget = 256 * 1024;
    // Budget below one websocket's send buffer and its shared-upstream buffer: only the budget closes.
    cluster = new WebCluster(jobDir, b -> b.sendBufferBudgetBytes(budget).sendBufferBytes(4 * 1024 * 1024)
        .viewerBufferBytes(64L * 1024 * 1024).slowClientTimeout(Duration.ofMinutes(5)));
    client = WsClient.newClient();
    String uuid = WebCluster.newBuildId();
    Path log = cluster.startBuild(uuid, "start\n".getBytes(StandardCharsets.UTF_8));
    WsClient slow = WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid);
    WsClient fast = WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid);
    Await.until("both viewers got the head", () -> slow.text.length() == 6 && fast.text.length() == 6);
    slow.pause();
    StringBuilder all = new StringBuilder("start\n");
    // Steps the fast viewer takes one at a time, until the stalled one fills the node's budget (its
    // socket buffers first: several MiB on loopback).
    for (int step = 0; !slow.closed.isDone() && step < 1024; step++) {
      String part = text(STEP_BYTES, 10 + step);
      all.append(part);
      WebCluster.append(log, part.getBytes(StandardCharsets.UTF_8));
      int expected = all.length();
      Await.until("fast viewer got step " + step, () -> fast.text.length() >= expected || slow.closed.isDone());
      if (cluster.services.slowClients().count() > 0) {
        break;
      }
    }
    Await.until("the slowest websocket closed", () -> counter("fingerpost.web.send.budget.closed") == 1);
    slow.resume();
    WsClient.Close close = slow.awaitClose();
    assertEquals(ConsoleCloses.TOO_SLOW, close.code());
    assertEquals(ConsoleCloses.OVER_BUDGET, close.reason());
    Await.until("fast viewer got everything", () -> fast.text.length() >= all.length());
    assertEquals(all.toString(), fast.text.toString(), "the reading viewer got every byte");

    // What the closed one got is a prefix; reconnecting at its byte offset (as the page does) gives the rest.
    String got = slow.text.toString();
    assertTrue(all.toString().startsWith(got), "a prefix, nothing lost or corrupted");
    int offset = got.getBytes(StandardCharsets.UTF_8).length;
    WsClient again = WsClient.connect(client, cluster.consoleStream(WebCluster.TENANT));
    again.send("{\"uuid\": \"" + uuid + "\", \"logfile\": \"console.log\", \"offset\": " + offset + "}");
    String rest = all.substring(got.length());
    Await.until("the rest after reconnecting", Duration.ofSeconds(60), () -> again.text.length() >= rest.length());
    assertEquals(rest, again.text.toString());
    assertEquals(1, counter("fingerpost.web.send.budget.closed"), "only the slowest was closed");
    again.close();
    fast.close();
  }
}
