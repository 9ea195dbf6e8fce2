package org.fingerpost.webapp;

import org.junit.jupiter.api.BeforeAll;

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
}
