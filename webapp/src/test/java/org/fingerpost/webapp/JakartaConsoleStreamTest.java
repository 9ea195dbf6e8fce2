package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ConsoleStreamTest}'s tests on the Jakarta endpoint ({@code ConsoleStreamEndpoint}) that a
 * WAR uses, on the same Jetty: both websockets behave alike.
 */
class JakartaConsoleStreamTest extends ConsoleStreamTest {
  /** Hides {@link ConsoleStreamTest#start()}: JUnit runs only this one. */
  @BeforeAll
  static void start() throws Exception {
    cluster = WebCluster.startJakarta(jobDir, b -> { });
    client = WsClient.newClient();
  }

  /** The inherited tests must run on the Jakarta endpoint, not on the core websocket again. */
  @Test
  void servesTheJakartaEndpoint() {
    assertFalse(cluster.web.consoleOnCore());
  }
}
