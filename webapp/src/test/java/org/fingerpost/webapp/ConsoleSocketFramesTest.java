package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The console-stream websocket's frames, written byte by byte ({@link RawWebSocket}), on the embedded
 * server's core websocket and on the Jakarta endpoint a WAR uses: both answer pings with their
 * payload, ignore binary messages, take a first message in several frames with a character split
 * between them, and close 1007 on invalid UTF-8.
 */
class ConsoleSocketFramesTest {
  @TempDir
  static Path coreDir;
  @TempDir
  static Path jakartaDir;
  static WebCluster core;
  static WebCluster jakarta;

  @BeforeAll
  static void start() throws Exception {
    core = WebCluster.start(coreDir);
    jakarta = WebCluster.startJakarta(jakartaDir, b -> { });
  }

  @AfterAll
  static void stop() throws Exception {
    core.close();
    jakarta.close();
  }

  @Test
  void eachClusterServesTheWebsocketItNames() {
    assertTrue(core.web.consoleOnCore());
    assertTrue(core.web.webhooksOnCore(), "the embedded server takes webhooks on Jetty's core API too");
    assertFalse(jakarta.web.consoleOnCore());
  }

  private static RawWebSocket connect(boolean onCore) throws Exception {
    WebCluster cluster = onCore ? core : jakarta;
    return new RawWebSocket(cluster.web.port(), cluster.consoleStream(WebCluster.TENANT).getPath());
  }

  @ParameterizedTest(name = "core websocket: {0}")
  @ValueSource(booleans = {true, false})
  void pingsAreAnsweredBinaryIgnoredAndASplitCharacterJoined(boolean onCore) throws Exception {
    WebCluster cluster = onCore ? core : jakarta;
    String uuid = WebCluster.newBuildId();
    cluster.startBuild(uuid, "héllo\n".getBytes(StandardCharsets.UTF_8));
    try (RawWebSocket ws = connect(onCore)) {
      ws.send(RawWebSocket.BINARY, false, new byte[] {1, 2});
      ws.send(RawWebSocket.CONTINUATION, true, new byte[] {3});
      ws.send(RawWebSocket.PING, true, "are you there".getBytes(StandardCharsets.UTF_8));
      RawWebSocket.Frame pong = ws.readUntil(RawWebSocket.PONG);
      assertEquals(RawWebSocket.PONG, pong.opcode());
      assertEquals("are you there", pong.text());
      // The first message in three frames, "é" (C3 A9) cut between the first two: a decoder that took
      // the cut for invalid UTF-8 would close 1007 instead of streaming.
      byte[] request = ("{\"uuid\": \"" + uuid + "\", \"logfile\": \"é.log\"}").getBytes(StandardCharsets.UTF_8);
      int cut = indexOf(request, (byte) 0xC3) + 1;
      ws.send(RawWebSocket.TEXT, false, Arrays.copyOfRange(request, 0, cut));
      ws.send(RawWebSocket.CONTINUATION, false, Arrays.copyOfRange(request, cut, cut + 3));
      ws.send(RawWebSocket.CONTINUATION, true, Arrays.copyOfRange(request, cut + 3, request.length));
      RawWebSocket.Frame text = ws.readUntil(RawWebSocket.TEXT);
      assertEquals("héllo\n", text.text());
      cluster.endBuild(uuid);
      RawWebSocket.Frame close = ws.readUntil(RawWebSocket.CLOSE);
      assertEquals(1000, close.closeCode());
    }
  }

  @ParameterizedTest(name = "core websocket: {0}")
  @ValueSource(booleans = {true, false})
  void invalidUtf8Closes1007(boolean onCore) throws Exception {
    try (RawWebSocket ws = connect(onCore)) {
      ws.send(RawWebSocket.TEXT, true, new byte[] {'{', (byte) 0xC3, '(', '}'});
      assertEquals(1007, ws.readUntil(RawWebSocket.CLOSE).closeCode());
    }
  }

  @ParameterizedTest(name = "core websocket: {0}")
  @ValueSource(booleans = {true, false})
  void aCloseIsAnsweredWithItsCode(boolean onCore) throws Exception {
    try (RawWebSocket ws = connect(onCore)) {
      byte[] bye = {0x03, (byte) 0xE8, 'b', 'y', 'e'}; // 1000 "bye"
      ws.send(RawWebSocket.CLOSE, true, bye);
      RawWebSocket.Frame close = ws.readUntil(RawWebSocket.CLOSE);
      assertArrayEquals(new byte[] {0x03, (byte) 0xE8}, Arrays.copyOf(close.payload(), 2));
    }
  }

  /** As the Jakarta container closes its sessions when it stops, so does the core websocket. */
  @ParameterizedTest(name = "core websocket: {0}")
  @ValueSource(booleans = {true, false})
  void aStoppingServerClosesItsStreams1001(boolean onCore, @TempDir Path dir) throws Exception {
    try (WebCluster cluster = onCore ? WebCluster.start(dir) : WebCluster.startJakarta(dir, b -> { })) {
      String uuid = WebCluster.newBuildId();
      cluster.startBuild(uuid, "running\n".getBytes(StandardCharsets.UTF_8));
      try (RawWebSocket ws = new RawWebSocket(cluster.web.port(), cluster.consoleStream(WebCluster.TENANT).getPath())) {
        ws.send(RawWebSocket.TEXT, true, ("{\"uuid\": \"" + uuid + "\", \"logfile\": \"console.log\"}")
            .getBytes(StandardCharsets.UTF_8));
        assertEquals("running\n", ws.readUntil(RawWebSocket.TEXT).text());
        cluster.web.close();
        RawWebSocket.Frame close = ws.readUntil(RawWebSocket.CLOSE);
        assertEquals(1001, close.closeCode());
        assertEquals("Container being shut down", new String(close.payload(), 2, close.payload().length - 2,
            StandardCharsets.UTF_8));
      }
    }
  }

  /** Pings go to an idle websocket only: one that streams sends none, one that went quiet gets them. */
  @Test
  void onlyAQuietWebsocketIsPinged(@TempDir Path dir) throws Exception {
    Duration interval = Duration.ofSeconds(1);
    try (WebCluster cluster = new WebCluster(dir, b -> b.pingInterval(interval))) {
      String uuid = WebCluster.newBuildId();
      Path log = cluster.startBuild(uuid, "0\n".getBytes(StandardCharsets.UTF_8));
      try (RawWebSocket ws = new RawWebSocket(cluster.web.port(), cluster.consoleStream(WebCluster.TENANT).getPath())) {
        ws.send(RawWebSocket.TEXT, true, ("{\"uuid\": \"" + uuid + "\", \"logfile\": \"console.log\"}")
            .getBytes(StandardCharsets.UTF_8));
        int pings = 0;
        long streamUntil = System.nanoTime() + interval.multipliedBy(5).dividedBy(2).toNanos();
        // A line at a time, each read before the next is written: the log flows for 2.5 intervals.
        for (int line = 1; System.nanoTime() < streamUntil; line++) {
          WebCluster.append(log, (line + "\n").getBytes(StandardCharsets.UTF_8));
          RawWebSocket.Frame frame;
          while ((frame = ws.read()).opcode() != RawWebSocket.TEXT) {
            pings += frame.opcode() == RawWebSocket.PING ? 1 : 0;
          }
        }
        assertEquals(0, pings, "no ping while the log flows");
        // Quiet now: a ping comes within two intervals.
        assertEquals(RawWebSocket.PING, ws.readUntil(RawWebSocket.PING).opcode());
      }
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    throw new AssertionError("no " + b);
  }
}
