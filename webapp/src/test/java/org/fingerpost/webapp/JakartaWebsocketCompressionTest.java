package org.fingerpost.webapp;

import org.junit.jupiter.api.BeforeAll;

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
}
