package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.fingerpost.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code web.websocket_compression}: a client asking for {@code permessage-deflate} (as browsers do)
 * gets it only when the setting is on, and the log arrives identical either way.
 */
class WebsocketCompressionTest {
  @TempDir
  static Path plainDir;
  @TempDir
  static Path deflateDir;
  static WebCluster plain;
  static WebCluster deflate;
  static WebSocketClient client;

  @BeforeAll
  static void start() throws Exception {
    plain = WebCluster.start(plainDir);
    deflate = new WebCluster(deflateDir, b -> b.websocketCompression(true));
    client = WsClient.newClient();
  }

  @AfterAll
  static void stop() throws Exception {
    client.stop();
    plain.close();
    deflate.close();
  }

  @Test
  void byDefaultPermessageDeflateIsDeclined() throws Exception {
    assertEquals(List.of(), streamAskingForDeflate(plain));
  }

  @Test
  void whenOnPermessageDeflateIsNegotiatedAndTheLogArrivesIdentical() throws Exception {
    assertEquals(List.of("permessage-deflate"), streamAskingForDeflate(deflate));
  }

  /** Streams a build asking for permessage-deflate; returns the extensions the server accepted. */
  private static List<String> streamAskingForDeflate(WebCluster cluster) throws Exception {
    String uuid = WebCluster.newBuildId();
    String log = ConsoleStreamTest.randomLog(7, 2000);
    cluster.startBuild(uuid, log.getBytes(StandardCharsets.UTF_8));
    ClientUpgradeRequest request = new ClientUpgradeRequest();
    request.addExtensions("permessage-deflate");
    WsClient ws = new WsClient();
    Session session = client.connect(ws, cluster.consoleStream(WebCluster.TENANT), request).get(10, TimeUnit.SECONDS);
    ws.send("{\"uuid\": \"" + uuid + "\", \"logfile\": \"console.log\"}");
    Await.until("the whole log", () -> ws.text.length() >= log.length());
    cluster.endBuild(uuid);
    assertEquals(new WsClient.Close(1000, "No more data"), ws.awaitClose());
    assertEquals(log, ws.text.toString());
    return session.getUpgradeResponse().getExtensions().stream().map(ExtensionConfig::getName).toList();
  }
}
