package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ProtectedConsoleStreamTest}'s tests on the Jakarta endpoint ({@code ConsoleStreamEndpoint})
 * that a WAR uses, on the same Jetty: tokens in the first message and in the upgrade's header alike.
 */
class JakartaProtectedConsoleStreamTest extends ProtectedConsoleStreamTest {
  /** Hides {@link ProtectedConsoleStreamTest#start()}: JUnit runs only this one. */
  @BeforeAll
  static void start() throws Exception {
    setUp(false);
  }

  /** The inherited tests must run on the Jakarta endpoint, not on the core websocket again. */
  @Test
  void servesTheJakartaEndpoint() {
    assertFalse(cluster.web.consoleOnCore());
  }
}
