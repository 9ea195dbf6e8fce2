package org.fingerpost.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.TestZooKeeper;
import org.junit.jupiter.api.Test;

class RegistryTest {

  @Test
  void configDefaultsFollowZuul() {
    RegistrySettings c = RegistrySettings.builder("zk1:2181,zk2:2181").build();
    assertEquals("zk1:2181,zk2:2181", c.hosts());
    assertEquals(Duration.ofSeconds(120), c.sessionTimeout());
    assertEquals(Duration.ofSeconds(10), c.connectionTimeout());
    assertEquals("/zuul", c.root());
    assertFalse(c.tlsConfigured());
    RegistrySettings tls = c.toBuilder().root("/ci/").tlsCa(Path.of("ca.pem")).build();
    assertEquals("/ci", tls.root());
    assertTrue(tls.tlsConfigured());
  }

  @Test
  void configRejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> RegistrySettings.builder().build());
    assertThrows(IllegalArgumentException.class, () -> RegistrySettings.builder(" ").build());
    assertThrows(IllegalArgumentException.class, () -> RegistrySettings.builder("zk:2181").root("zuul").build());
    assertThrows(IllegalArgumentException.class,
        () -> RegistrySettings.builder("zk:2181").sessionTimeout(Duration.ZERO).build());
  }

  @Test
  void pathJoinsUnderRoot() throws Exception {
    try (TestingServer server = TestZooKeeper.server(); Registry registry = ZkTesting.registry(server)) {
      assertEquals("/zuul", registry.root());
      assertEquals("/zuul", registry.path());
      assertEquals("/zuul/components/fingergw", registry.path("components", "fingergw"));
      assertEquals("/zuul/executor/zones/east/requests", registry.path("executor/zones", "east", "", "requests"));
      assertThrows(IllegalArgumentException.class, () -> registry.path("executor", "..", "x"));
    }
  }

  @Test
  void connectReturnsWithoutZooKeeperAndConnectsWhenItComes() throws Exception {
    int port = InstanceSpec.getRandomPort();
    long started = System.nanoTime();
    try (Registry registry = Registry.connect(ZkTesting.config("127.0.0.1:" + port))) {
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      assertFalse(registry.isConnected());
      assertTrue(took.compareTo(TestZooKeeper.CONNECTION_TIMEOUT.plusSeconds(3)) < 0, "connect waited " + took);

      try (TestingServer server = TestZooKeeper.server(port)) {
        assertTrue(registry.awaitConnected(TestZooKeeper.AWAIT), "reconnects in the background");
        assertTrue(registry.isConnected());
        registry.curator().create().creatingParentsIfNeeded().forPath(registry.path("probe"));

        server.stop();
        Await.until("disconnect noticed", () -> !registry.isConnected());
      }
    }
  }

  @Test
  void nettyClientSocketWhenAskedNioByDefault() throws Exception {
    String socketKey = org.apache.zookeeper.client.ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET;
    try (TestingServer server = TestZooKeeper.server();
        Registry nio = Registry.connect(ZkTesting.config(server.getConnectString()));
        Registry netty = Registry.connect(ZkTesting.config(server.getConnectString()).toBuilder()
            .nettyClient(true).build())) {
      assertTrue(netty.awaitConnected(TestZooKeeper.AWAIT));
      assertEquals(org.apache.zookeeper.ClientCnxnSocketNetty.class.getName(),
          netty.curator().getZookeeperClient().getZooKeeper().getClientConfig().getProperty(socketKey));
      assertTrue(nio.awaitConnected(TestZooKeeper.AWAIT));
      assertFalse(org.apache.zookeeper.ClientCnxnSocketNetty.class.getName().equals(
          nio.curator().getZookeeperClient().getZooKeeper().getClientConfig().getProperty(socketKey)));
      // Both read and write the same tree: what one creates, the other sees.
      netty.curator().create().creatingParentsIfNeeded().forPath(netty.path("probe"), new byte[] {42});
      assertEquals(42, nio.curator().getData().forPath(nio.path("probe"))[0]);
    }
  }

  @Test
  void closeDisconnects() throws Exception {
    try (TestingServer server = TestZooKeeper.server()) {
      Registry registry = ZkTesting.registry(server);
      assertTrue(registry.isConnected());
      registry.close();
      assertFalse(registry.isConnected());
      registry.close();
    }
  }
}
