package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.fingerpost.testing.Await;
import org.fingerpost.webapp.FakeExecutor.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end of a log means the end of the log (issue 15, finding 1), seen through the websocket: an
 * executor whose connection closes while the registry says its build runs is asked again from the byte
 * offset already sent; a build Zuul marked {@code completed} ends at its close; an executor that is gone
 * gives 1011 {@code Remote error}, never 1000, and no error text in the log. The executor is a fake on a
 * real socket (it closes or resets as a killed process's kernel does), registered with the {@code
 * offset} capability as a Fingerpost streamer is.
 */
@Timeout(90)
class UpstreamLossTest {
  @TempDir
  static Path jobDir;
  static WebCluster cluster;
  static WebSocketClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = WebCluster.start(jobDir);
    client = WsClient.newClient();
  }

  @AfterAll
  static void stop() throws Exception {
    client.stop();
    cluster.close();
  }

  static String buildNode(String uuid, String state, int port) throws Exception {
    return FakeExecutor.buildNode(cluster, uuid, state, port);
  }

  @Test
  void aCleanCloseWhileTheBuildRunsIsResumedFromTheOffset() throws Exception {
    String uuid = WebCluster.newBuildId();
    try (FakeExecutor executor = new FakeExecutor(cluster)) {
      String path = buildNode(uuid, "running", executor.port());
      WsClient ws = WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid);
      Connection first = executor.accept();
      assertEquals(uuid, first.request());
      first.send("part one\n");
      Await.until("the first part", () -> ws.text.toString().equals("part one\n"));
      first.close(); // the streamer went away, its build did not

      Connection second = executor.accept();
      assertEquals(uuid + "@9", second.request(), "asked again from the byte offset already sent");
      second.send("part two\n");
      Await.until("the second part", () -> ws.text.toString().equals("part one\npart two\n"));
      buildNode(uuid, "completed", executor.port());
      Await.until("the front sees the build completed",
          () -> "completed".equals(cluster.services.builds().find(uuid).orElseThrow().state()));
      second.close();
      assertEquals(new WsClient.Close(1000, "No more data"), ws.awaitClose());
      assertEquals("part one\npart two\n", ws.text.toString());
      cluster.zkClient().delete().forPath(path);
    }
  }

  @Test
  void aBuildMarkedCompletedEndsAtTheClose() throws Exception {
    String uuid = WebCluster.newBuildId();
    try (FakeExecutor executor = new FakeExecutor(cluster)) {
      String path = buildNode(uuid, "running", executor.port());
      WsClient ws = WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid);
      Connection only = executor.accept();
      only.send("all of it\n");
      Await.until("the log", () -> ws.text.toString().equals("all of it\n"));
      buildNode(uuid, "completed", executor.port());
      Await.until("the front sees the build completed",
          () -> "completed".equals(cluster.services.builds().find(uuid).orElseThrow().state()));
      only.close();
      assertEquals(new WsClient.Close(1000, "No more data"), ws.awaitClose());
      assertEquals("all of it\n", ws.text.toString());
      cluster.zkClient().delete().forPath(path);
    }
  }

  @Test
  void anExecutorGoneWhileItsBuildRunsIsRemoteErrorNotTheEnd() throws Exception {
    String uuid = WebCluster.newBuildId();
    FakeExecutor executor = new FakeExecutor(cluster);
    String path = buildNode(uuid, "running", executor.port());
    WsClient ws = WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid);
    Connection only = executor.accept();
    only.send("partial log\n");
    Await.until("the first bytes", () -> ws.text.toString().equals("partial log\n"));
    executor.close(); // kill -9: the listener is gone ...
    only.close(); // ... and the kernel closes the connection
    assertEquals(new WsClient.Close(1011, "Remote error"), ws.awaitClose());
    assertEquals("partial log\n", ws.text.toString(), "no error text in the log");
    cluster.zkClient().delete().forPath(path);
  }
}
