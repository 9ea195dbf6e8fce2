package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.fingerpost.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console-stream websocket of docs/design.md 3.2 with a real client over real sockets. */
class ConsoleStreamTest {
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

  /** Random text mixing 1-, 2-, 3- and 4-byte UTF-8 characters and ANSI escapes. */
  static String randomLog(long seed, int lines) {
    Random random = new Random(seed);
    String[] pieces = {"ok", " ", "é", "漢字", "😀", "\u001b[32m", "\u001b[0m", "TASK [x]", "ü", "€", "\t"};
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      sb.append(i).append(" | ");
      int n = 5 + random.nextInt(40);
      for (int k = 0; k < n; k++) {
        sb.append(pieces[random.nextInt(pieces.length)]);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  @Test
  void fullLogArrivesIdenticalThenNoMoreData() throws Exception {
    String log = randomLog(1, 20_000); // ~1.5 MB: many upstream chunks, every character size
    String uuid = WebCluster.newBuildId();
    cluster.startBuild(uuid, log.getBytes(StandardCharsets.UTF_8));
    WsClient ws = WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid);
    try {
      Await.until("whole log received", () -> ws.text.length() >= log.length());
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": " + ws.text.length() + " of " + log.length() + " chars, "
          + ws.messages + " messages, first difference at " + firstDifference(log, ws.text.toString()), e);
    }
    cluster.endBuild(uuid);
    WsClient.Close close = ws.awaitClose();
    assertEquals(new WsClient.Close(1000, "No more data"), close);
    assertEquals(log, ws.text.toString(), "log must be identical after UTF-8 decoding");
  }

  @Test
  void characterSplitAcrossReadsIsNeverBroken() throws Exception {
    String uuid = WebCluster.newBuildId();
    Path file = cluster.startBuild(uuid, "start\n".getBytes(StandardCharsets.UTF_8));
    WsClient ws = WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid);
    Await.until("first line", () -> ws.text.toString().equals("start\n"));
    StringBuilder expected = new StringBuilder("start\n");
    for (String ch : new String[] {"漢", "😀", "é"}) {
      byte[] bytes = ch.getBytes(StandardCharsets.UTF_8);
      for (int split = 1; split < bytes.length; split++) {
        // The first bytes of the character go out alone (the streamer sends them as one chunk) ...
        WebCluster.append(file, concat("<".getBytes(StandardCharsets.UTF_8), slice(bytes, 0, split)));
        expected.append('<');
        String before = expected.toString();
        Await.until("text before the split character", () -> ws.text.toString().equals(before));
        // ... and the rest follows in a later read.
        WebCluster.append(file, concat(slice(bytes, split, bytes.length), ">\n".getBytes(StandardCharsets.UTF_8)));
        expected.append(ch).append(">\n");
        String after = expected.toString();
        Await.until("the split character, whole", () -> ws.text.toString().equals(after));
      }
    }
    assertFalse(ws.text.toString().contains("\uFFFD"), "no replacement character");
    cluster.endBuild(uuid);
    assertEquals(new WsClient.Close(1000, "No more data"), ws.awaitClose());
  }

  @Test
  void laterMessagesAreIgnored() throws Exception {
    String uuid = WebCluster.newBuildId();
    Path file = cluster.startBuild(uuid, "one\n".getBytes(StandardCharsets.UTF_8));
    WsClient ws = WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid);
    Await.until("first line", () -> ws.text.toString().equals("one\n"));
    ws.send("not json at all");
    ws.send("{\"uuid\": \"ffff\", \"logfile\": \"x\"}");
    WebCluster.append(file, "two\n".getBytes(StandardCharsets.UTF_8));
    Await.until("second line", () -> ws.text.toString().equals("one\ntwo\n"));
    cluster.endBuild(uuid);
    assertEquals(new WsClient.Close(1000, "No more data"), ws.awaitClose());
  }

  @Test
  void missingUuidIs4000() throws Exception {
    assertEquals(new WsClient.Close(4000, "'uuid' missing from request payload"),
        firstMessage("{\"logfile\": \"console.log\"}"));
  }

  @Test
  void missingLogfileIs4000() throws Exception {
    assertEquals(new WsClient.Close(4000, "'logfile' missing from request payload"),
        firstMessage("{\"uuid\": \"abcdef\"}"));
  }

  @Test
  void invalidJsonIs4000() throws Exception {
    assertEquals(new WsClient.Close(4000, "Invalid JSON in request payload"), firstMessage("{\"uuid\": "));
    assertEquals(new WsClient.Close(4000, "Invalid JSON in request payload"), firstMessage("[1, 2]"));
  }

  @Test
  void oneMegabyteFirstMessageIsClosedClearly() throws Exception {
    String huge = "{\"uuid\": \"" + "a".repeat(1024 * 1024) + "\", \"logfile\": \"console.log\"}";
    WsClient ws = WsClient.connect(client, cluster.consoleStream(WebCluster.TENANT));
    ws.sendAndForget(huge);
    WsClient.Close close = ws.awaitClose();
    assertEquals(1009, close.code(), close.toString());
    assertEquals("First message larger than " + WebSettings.DEFAULT_MAX_REQUEST_BYTES + " bytes", close.reason());
  }

  @Test
  void aFirstMessageBeyondTheDiscardLimitIsCutOff() throws Exception {
    int beyond = WebSettings.DEFAULT_MAX_REQUEST_BYTES * (org.fingerpost.webapp.internal.ConsoleSession.OVERSIZE_DISCARD_FACTOR + 8);
    WsClient ws = WsClient.connect(client, cluster.consoleStream(WebCluster.TENANT));
    ws.sendAndForget("{\"uuid\": \"" + "b".repeat(beyond) + "\"}");
    // The server stops reading: the client sees the 1009 close, or a reset while it still sends.
    WsClient.Close close = ws.awaitClose();
    assertTrue(close.code() == 1009 || close.code() == -1, close.toString());
  }

  @Test
  void unknownBuildIs4011BuildNotFound() throws Exception {
    assertEquals(new WsClient.Close(4011, "Build not found"),
        firstMessage("{\"uuid\": \"" + WebCluster.newBuildId() + "\", \"logfile\": \"console.log\"}"));
  }

  @Test
  void invalidBuildIdIs4011BuildNotFound() throws Exception {
    assertEquals(new WsClient.Close(4011, "Build not found"),
        firstMessage("{\"uuid\": \"../../etc\", \"logfile\": \"console.log\"}"));
  }

  @Test
  void buildOfAnotherTenantIsBuildNotFound() throws Exception {
    String uuid = WebCluster.newBuildId();
    cluster.startBuild(uuid, "secret\n".getBytes(StandardCharsets.UTF_8));
    WsClient ws = WsClient.open(client, cluster.consoleStream("other-tenant"), uuid);
    assertEquals(new WsClient.Close(4011, "Build not found"), ws.awaitClose());
    assertEquals("", ws.text.toString());
    cluster.endBuild(uuid);
  }

  @Test
  void buildNotStartedIs4011() throws Exception {
    String uuid = WebCluster.newBuildId();
    writeBuildNode(uuid, "{\"uuid\": \"" + uuid + "\", \"state\": \"requested\", \"tenant_name\": \""
        + WebCluster.TENANT + "\"}");
    WsClient ws = WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid);
    assertEquals(new WsClient.Close(4011, "Build did not start yet"), ws.awaitClose());
  }

  @Test
  void upstreamFailingMidStreamIsRemoteError() throws Exception {
    String uuid = WebCluster.newBuildId();
    try (ServerSocket fakeExecutor = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      cluster.registerExecutor("127.0.0.1", fakeExecutor.getLocalPort());
      writeBuildNode(uuid, "{\"uuid\": \"" + uuid + "\", \"state\": \"running\", \"tenant_name\": \""
          + WebCluster.TENANT + "\", \"worker_info\": {\"hostname\": \"127.0.0.1\", \"log_port\": "
          + fakeExecutor.getLocalPort() + "}}");
      CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
        try {
          return fakeExecutor.accept();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      WsClient ws = WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid);
      try (Socket upstream = accepted.get(10, TimeUnit.SECONDS)) {
        OutputStream out = upstream.getOutputStream();
        out.write("partial log\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        Await.until("the first bytes", () -> ws.text.toString().equals("partial log\n"));
        upstream.setSoLinger(true, 0); // reset, not a clean end: the upstream broke
        fakeExecutor.close(); // and the executor is gone: the build cannot be resumed
      }
      // Not 1000, which says the log ended (issue 15, finding 1): the client reconnects from its offset.
      assertEquals(new WsClient.Close(1011, "Remote error"), ws.awaitClose());
    }
  }

  @Test
  void unreachableUpstreamIs4011InternalError() throws Exception {
    String uuid = WebCluster.newBuildId();
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    cluster.registerExecutor("127.0.0.1", closedPort); // a registered executor that is down
    writeBuildNode(uuid, "{\"uuid\": \"" + uuid + "\", \"state\": \"running\", \"tenant_name\": \""
        + WebCluster.TENANT + "\", \"worker_info\": {\"hostname\": \"127.0.0.1\", \"log_port\": " + closedPort + "}}");
    WsClient ws = WsClient.open(client, cluster.consoleStream(WebCluster.TENANT), uuid);
    assertEquals(new WsClient.Close(4011, "Internal streaming error"), ws.awaitClose());
  }

  private WsClient.Close firstMessage(String message) throws Exception {
    WsClient ws = WsClient.connect(client, cluster.consoleStream(WebCluster.TENANT));
    ws.send(message);
    return ws.awaitClose();
  }

  private static void writeBuildNode(String uuid, String json) throws Exception {
    cluster.registry.curator().create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
        .forPath("/zuul/executor/unzoned/requests/" + uuid, json.getBytes(StandardCharsets.UTF_8));
    cluster.awaitSeen(uuid);
  }

  static int firstDifference(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      if (a.charAt(i) != b.charAt(i)) {
        return i;
      }
    }
    return n;
  }

  static byte[] slice(byte[] b, int from, int to) {
    return java.util.Arrays.copyOfRange(b, from, to);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  static void assertStartsWith(String prefix, String actual) {
    assertTrue(actual.startsWith(prefix), () -> "expected '" + prefix + "...', got '" + actual + "'");
  }

  static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }
}
