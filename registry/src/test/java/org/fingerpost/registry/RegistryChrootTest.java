package org.fingerpost.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.TestZooKeeper;
import org.junit.jupiter.api.Test;

/** A chroot in the hosts list puts the whole tree under it, and is created when missing. */
class RegistryChrootTest {
  @Test
  void chrootInHostsIsCreatedAndHoldsTheTree() throws Exception {
    try (TestingServer server = TestZooKeeper.server();
        Registry registry = Registry.connect(ZkTesting.config(server.getConnectString() + "/ci/fingerpost/"));
        CuratorFramework zk = TestZooKeeper.observer(server)) {
      assertTrue(registry.awaitConnected(TestZooKeeper.AWAIT));
      try (ComponentRegistration r = new ComponentRegistration(registry,
          ComponentInfo.builder("fingergw", "gw1").state(ComponentState.RUNNING).build())) {
        r.start();
        Await.until("registered under the chroot",
            () -> zk.checkExists().forPath("/ci/fingerpost/zuul/components/fingergw") != null
                && zk.getChildren().forPath("/ci/fingerpost/zuul/components/fingergw").size() == 1);
        assertEquals(null, zk.checkExists().forPath("/zuul"), "nothing outside the chroot");
        assertEquals(1, new ComponentDirectory(registry).list("fingergw").size(), "read back through it");
      }
    }
  }
}
