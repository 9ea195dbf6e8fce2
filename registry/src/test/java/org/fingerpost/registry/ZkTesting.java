package org.fingerpost.registry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.curator.test.TestingServer;
import org.fingerpost.testing.TestZooKeeper;

/**
 * Registry clients for tests, with the short timeouts of {@link TestZooKeeper} (which holds the server,
 * the observing client, session expiry; waits are {@code org.fingerpost.testing.Await}). These two stay
 * in the registry's test-jar, not in {@code test-support}, because they need {@link Registry} and the
 * registry's own tests use them: test-support cannot depend on the registry.
 */
public final class ZkTesting {
  private ZkTesting() {}

  public static RegistrySettings config(String hosts) {
    return RegistrySettings.builder(hosts)
        .sessionTimeout(TestZooKeeper.SESSION_TIMEOUT)
        .connectionTimeout(TestZooKeeper.CONNECTION_TIMEOUT)
        .build();
  }

  /** A connected registry on {@code server}. */
  public static Registry registry(TestingServer server) throws InterruptedException {
    Registry registry = Registry.connect(config(server.getConnectString()));
    assertTrue(registry.awaitConnected(TestZooKeeper.AWAIT), "registry connects");
    return registry;
  }
}
