package org.fingerpost.webapp;

import org.junit.jupiter.api.BeforeAll;

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
}
