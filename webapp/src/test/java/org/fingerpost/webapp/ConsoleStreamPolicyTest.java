package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.fingerpost.streams.LookupRateLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: console-stream websockets open only from pages of the web node's own origin or of {@code
 * allowed_origins} (finding 7), and a client address past its lookup rate is closed 1013 (finding 6).
 */
@Timeout(90)
class ConsoleStreamPolicyTest {
  @TempDir
  Path jobDir;

  private static WsClient connect(WebSocketClient client, URI uri, String origin) throws Exception {
    WsClient ws = new WsClient();
    ClientUpgradeRequest upgrade = new ClientUpgradeRequest();
    if (origin != null) {
      upgrade.setHeader("Origin", origin);
    }
    client.connect(ws, uri, upgrade).get(10, TimeUnit.SECONDS);
    return ws;
  }

  private static int refusedStatus(WebSocketClient client, URI uri, String origin) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> connect(client, uri, origin));
    assertTrue(e.getCause() instanceof UpgradeException, String.valueOf(e.getCause()));
    return ((UpgradeException) e.getCause()).getResponseStatusCode();
  }

  /** Opens a console stream of an unknown build: a granted websocket ends 4011 {@code Build not found}. */
  private static WsClient.Close unknownBuild(WebSocketClient client, URI uri, String origin) throws Exception {
    WsClient ws = connect(client, uri, origin);
    ws.send("{\"uuid\": \"abc\", \"logfile\": \"console.log\"}");
    return ws.awaitClose();
  }

  /** On the embedded server's core websocket and on the Jakarta endpoint a WAR uses alike. */
  @ParameterizedTest(name = "core websocket: {0}")
  @ValueSource(booleans = {true, false})
  void pagesOfOtherOriginsAreRefusedWith403(boolean core) throws Exception {
    java.util.function.Consumer<WebSettings.Builder> settings = b -> b.consoleStreams(ConsoleStreamPolicy.of(
        List.of("https://zuul.example.com"), LookupRateLimit.defaults()));
    try (WebCluster cluster = core ? new WebCluster(jobDir, settings) : WebCluster.startJakarta(jobDir, settings)) {
      WebSocketClient client = WsClient.newClient();
      try {
        URI uri = cluster.consoleStream("t");
        assertEquals(403, refusedStatus(client, uri, "https://evil.example"));
        assertEquals(403, refusedStatus(client, uri, "http://127.0.0.1:1"));
        assertEquals(403, refusedStatus(client, uri, "null"));
        String own = "http://127.0.0.1:" + cluster.web.port();
        assertEquals(new WsClient.Close(4011, "Build not found"), unknownBuild(client, uri, own));
        assertEquals(new WsClient.Close(4011, "Build not found"), unknownBuild(client, uri, "https://zuul.example.com"));
        assertEquals(new WsClient.Close(4011, "Build not found"), unknownBuild(client, uri, null), "not a browser");
      } finally {
        client.stop();
      }
    }
  }

  @ParameterizedTest(name = "core websocket: {0}")
  @ValueSource(booleans = {true, false})
  void aClientPastItsLookupRateIsClosed1013(boolean core) throws Exception {
    java.util.function.Consumer<WebSettings.Builder> settings = b -> b.consoleStreams(ConsoleStreamPolicy.of(
        List.of(), LookupRateLimit.of(0.001, 2)));
    try (WebCluster cluster = core ? new WebCluster(jobDir, settings) : WebCluster.startJakarta(jobDir, settings)) {
      WebSocketClient client = WsClient.newClient();
      try {
        URI uri = cluster.consoleStream("t");
        for (int i = 0; i < 2; i++) {
          assertEquals(new WsClient.Close(4011, "Build not found"), unknownBuild(client, uri, null));
        }
        assertEquals(new WsClient.Close(1013, LookupRateLimit.REFUSAL), unknownBuild(client, uri, null));
      } finally {
        client.stop();
      }
    }
  }

  @Test
  void originsCompareSchemeHostAndPort() {
    ConsoleStreamPolicy p = ConsoleStreamPolicy.of(List.of("https://zuul.example.com"), LookupRateLimit.none());
    assertTrue(p.originAllowed("https://ZUUL.example.com:443", "other"));
    assertFalse(p.originAllowed("http://zuul.example.com", "other"));
    assertTrue(p.originAllowed("https://logs.example.com", "logs.example.com"));
    assertTrue(p.originAllowed("http://logs.example.com:8080", "logs.example.com:8080"));
    assertFalse(p.originAllowed("http://logs.example.com:8080", "logs.example.com"));
    assertTrue(ConsoleStreamPolicy.of(List.of("*"), LookupRateLimit.none()).originAllowed("https://any", "x"));
    assertThrows(IllegalArgumentException.class, () -> ConsoleStreamPolicy.of(List.of("zuul.example.com"),
        LookupRateLimit.none()));
  }
}
