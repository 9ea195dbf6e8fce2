package org.fingerpost.packaging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import org.fingerpost.registry.ComponentInfo;
import org.fingerpost.registry.ComponentRegistration;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.ZkTesting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedZooKeeperTest {

  @Test
  void startsOnAFreePortServesCuratorAndStops(@TempDir Path dir) throws Exception {
    int port;
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"), 0)) {
      port = zk.port();
      assertTrue(port > 0);
      assertEquals("127.0.0.1:" + port, zk.connectString());
      assertTrue(zk.isRunning());

      try (Registry registry = Registry.connect(ZkTesting.config(zk.connectString()))) {
        assertTrue(registry.isConnected());
        String path = registry.path("demo", "node");
        registry.curator().create().creatingParentsIfNeeded().forPath(path, "hello".getBytes(UTF_8));
        assertArrayEquals("hello".getBytes(UTF_8), registry.curator().getData().forPath(path));

        // Ephemeral sequential nodes and containers work too: registrations use them.
        try (ComponentRegistration reg = new ComponentRegistration(registry,
            ComponentInfo.builder("fingergw", "demo").state(ComponentState.RUNNING).build())) {
          reg.start();
          assertTrue(reg.path().matches("/zuul/components/fingergw/demo\\d{10}"), reg.path());
          assertTrue(registry.curator().checkExists().forPath(reg.path()).getEphemeralOwner() != 0);
        }
      }
    }
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(), "not listening after close");
  }

  @Test
  void keepsDataAcrossRestartOnTheSameDirectory(@TempDir Path dir) throws Exception {
    String path;
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
        Registry registry = Registry.connect(ZkTesting.config(zk.connectString()))) {
      path = registry.path("kept");
      registry.curator().create().creatingParentsIfNeeded().forPath(path, "v".getBytes(UTF_8));
    }
    EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir, 0);
    try (Registry registry = Registry.connect(ZkTesting.config(zk.connectString()))) {
      assertArrayEquals("v".getBytes(UTF_8), registry.curator().getData().forPath(path));
    } finally {
      zk.close();
    }
    assertFalse(zk.isRunning());
    zk.close(); // idempotent
  }
}
