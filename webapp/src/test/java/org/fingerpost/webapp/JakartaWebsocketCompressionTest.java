package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link WebsocketCompressionTest}'s tests on the Jakarta endpoint ({@code ConsoleStreamEndpoint})
 * that a WAR uses, on the same Jetty.
 */
class JakartaWebsocketCompressionTest extends WebsocketCompressionTest {
  /** Hides {@link WebsocketCompressionTest#start()}: JUnit runs only this one. */
  @BeforeAll
  static void start() throws Exception {
    plain = WebCluster.startJakarta(plainDir, b -> { });
    deflate = WebCluster.startJakarta(deflateDir, b -> b.websocketCompression(true));
    client = WsClient.newClient();
  }

  /** The inherited tests must run on the Jakarta endpoint, not on the core websocket again. */
  @Test
  void servesTheJakartaEndpoint() {
    assertFalse(plain.web.consoleOnCore());
    assertFalse(deflate.web.consoleOnCore());
  }
}
