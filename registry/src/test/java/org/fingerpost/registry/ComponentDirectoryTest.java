package org.fingerpost.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.fingerpost.testing.TestZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ComponentDirectoryTest {
  private TestingServer server;
  private Registry registry;
  private CuratorFramework zk;
  private ComponentDirectory directory;

  @BeforeEach
  void setUp() throws Exception {
    server = TestZooKeeper.server();
    registry = ZkTesting.registry(server);
    zk = TestZooKeeper.observer(server);
    directory = new ComponentDirectory(registry);
  }

  @AfterEach
  void tearDown() throws Exception {
    zk.close();
    registry.close();
    server.close();
  }

  private void zuulNode(String kind, String hostname, String json) throws Exception {
    zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
        .forPath("/zuul/components/" + kind + "/" + hostname + "-", json.getBytes(UTF_8));
  }

  @Test
  void listsEveryStateAndSkipsUnusableNodes() throws Exception {
    zuulNode("fingergw", "gw1", "{\"hostname\":\"gw1\",\"state\":\"running\",\"kind\":\"fingergw\","
        + "\"version\":\"9\",\"zone\":\"east\",\"public_port\":79}");
    zuulNode("fingergw", "gw2", "{\"hostname\":\"gw2\",\"state\":\"paused\",\"kind\":\"fingergw\",\"zone\":null}");
    zuulNode("fingergw", "broken", "{oops");
    zuulNode("fingergw", "odd", "{\"hostname\":\"odd\",\"state\":\"sleeping\",\"kind\":\"fingergw\"}");
    zuulNode("executor", "ex1", "{\"hostname\":\"ex1\",\"state\":\"running\",\"kind\":\"executor\"}");

    List<ComponentInfo> gateways = directory.list("fingergw");
    assertEquals(List.of("gw1", "gw2"), gateways.stream().map(ComponentInfo::hostname).collect(Collectors.toList()));
    assertEquals(ComponentState.RUNNING, gateways.get(0).state());
    assertEquals(79, gateways.get(0).publicPort());
    assertEquals(ComponentState.PAUSED, gateways.get(1).state());
    assertEquals(1, directory.list("executor").size());
  }

  @Test
  void seesRegistrationsAndUnknownKindsAreEmpty() throws Exception {
    assertEquals(List.of(), directory.list("web"));
    try (ComponentRegistration web = new ComponentRegistration(registry,
        ComponentInfo.builder("web", "w1").state(ComponentState.RUNNING).build())) {
      web.start();
      assertEquals(List.of(web.info()), directory.list("web"));
    }
    assertEquals(List.of(), directory.list("web"));
  }

  @Test
  void rejectsKindsThatAreNotOnePathSegment() {
    assertThrows(IllegalArgumentException.class, () -> directory.list("fingergw/../x"));
    assertThrows(IllegalArgumentException.class, () -> directory.list(".."));
    assertThrows(IllegalArgumentException.class, () -> directory.list(""));
  }
}
