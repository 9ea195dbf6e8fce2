package org.fingerpost.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.data.Stat;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.TestZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ComponentRegistrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SEQUENTIAL = Pattern.compile("/zuul/components/fingergw/gw1\\.example\\.org\\d{10}");

  private TestingServer server;
  private Registry registry;
  private CuratorFramework observer;

  @BeforeEach
  void setUp() throws Exception {
    server = TestZooKeeper.server();
    registry = ZkTesting.registry(server);
    observer = TestZooKeeper.observer(server);
  }

  @AfterEach
  void tearDown() throws Exception {
    observer.close();
    registry.close();
    server.close();
  }

  private static ComponentInfo gateway() {
    return ComponentInfo.builder("fingergw", "gw1.example.org")
        .version("0.1.0")
        .zone("east")
        .publicPort(7979)
        .useSsl(false)
        .build();
  }

  private JsonNode read(String path) throws Exception {
    return JSON.readTree(observer.getData().forPath(path));
  }

  private String stateAt(String path) throws Exception {
    return read(path).get("state").asText();
  }

  @Test
  void registersEphemeralSequentialNodeWithZuulJson() throws Exception {
    try (ComponentRegistration reg = new ComponentRegistration(registry, gateway())) {
      assertNull(reg.path());
      reg.start();
      String path = reg.path();
      assertNotNull(path, "created before start() returns");
      assertTrue(SEQUENTIAL.matcher(path).matches(), path);
      assertEquals(List.of(path.substring(path.lastIndexOf('/') + 1)),
          observer.getChildren().forPath("/zuul/components/fingergw"));
      Stat stat = observer.checkExists().forPath(path);
      assertEquals(TestZooKeeper.sessionId(registry.curator()), stat.getEphemeralOwner());
      // The kind's directory is persistent, as Zuul's makepath makes it; a container (owner
      // Long.MIN_VALUE) would be deleted by ZooKeeper once empty, under Zuul's children watch.
      assertEquals(0, observer.checkExists().forPath("/zuul/components/fingergw").getEphemeralOwner());
      // Zuul's keys for the kind, model_api (no Zuul component here: the configured default), the marker.
      assertEquals(JSON.readTree("{\"kind\":\"fingergw\",\"hostname\":\"gw1.example.org\",\"state\":\"initializing\","
          + "\"version\":\"0.1.0\",\"zone\":\"east\",\"public_port\":7979,\"use_ssl\":false,\"model_api\":33,"
          + "\"fingerpost\":\"0.1.0\"}"), read(path));
      assertThrows(IllegalStateException.class, reg::start);
    }
  }

  @Test
  void setStateIsVisible() throws Exception {
    try (ComponentRegistration reg = new ComponentRegistration(registry, gateway())) {
      reg.start();
      reg.setState(ComponentState.RUNNING);
      Await.until("state running", () -> "running".equals(stateAt(reg.path())));
      reg.setState(ComponentState.PAUSED);
      Await.until("state paused", () -> "paused".equals(stateAt(reg.path())));
      assertEquals(ComponentState.PAUSED, reg.state());

      reg.update(reg.info().toBuilder().capabilities(List.of("resume")).build());
      Await.until("capability visible", () -> read(reg.path()).has("capabilities"));
      assertEquals("paused", stateAt(reg.path()));
      assertThrows(IllegalArgumentException.class,
          () -> reg.update(ComponentInfo.builder("fingergw", "other").build()));
    }
  }

  @Test
  void sessionExpiryRecreatesNodeWithCurrentState() throws Exception {
    try (ComponentRegistration reg = new ComponentRegistration(registry, gateway())) {
      reg.start();
      reg.setState(ComponentState.RUNNING);
      String path = reg.path();
      Await.until("state running", () -> "running".equals(stateAt(path)));
      long oldSession = TestZooKeeper.sessionId(registry.curator());

      TestZooKeeper.expireSession(registry.curator(), server.getConnectString());
      // Changed while the session is being replaced: the re-created node must carry it.
      reg.setState(ComponentState.PAUSED);

      Await.until("node re-created by the new session with the current state", () -> {
        Stat stat = observer.checkExists().forPath(path);
        long owner = stat == null ? 0 : stat.getEphemeralOwner();
        return owner != 0 && owner != oldSession && owner == TestZooKeeper.sessionId(registry.curator())
            && "paused".equals(stateAt(path));
      });
      assertEquals(path, reg.path());
      assertEquals(1, observer.getChildren().forPath("/zuul/components/fingergw").size());
    }
  }

  @Test
  void serverRestartReRegisters() throws Exception {
    try (ComponentRegistration reg = new ComponentRegistration(registry, gateway())) {
      reg.start();
      reg.setState(ComponentState.RUNNING);
      String path = reg.path();
      Await.until("state running", () -> "running".equals(stateAt(path)));
      long oldSession = TestZooKeeper.sessionId(registry.curator());
      CountDownLatch lost = new CountDownLatch(1);
      registry.curator().getConnectionStateListenable().addListener((c, state) -> {
        if (state == ConnectionState.LOST) {
          lost.countDown();
        }
      });

      server.stop();
      Await.until("disconnect noticed", () -> !registry.isConnected());
      reg.setState(ComponentState.PAUSED); // while ZooKeeper is away
      // Stay down past the session timeout, so the session is gone for the client.
      assertTrue(TestZooKeeper.TIMING.awaitLatch(lost), "session lost");
      server.restart();

      Await.until("re-registered by a new session with the current state", () -> {
        Stat stat = observer.checkExists().forPath(path);
        long owner = stat == null ? 0 : stat.getEphemeralOwner();
        return registry.isConnected() && owner != 0 && owner != oldSession
            && owner == TestZooKeeper.sessionId(registry.curator()) && "paused".equals(stateAt(path));
      });
      assertEquals(1, observer.getChildren().forPath("/zuul/components/fingergw").size());
    }
  }

  @Test
  void startWithoutZooKeeperRegistersWhenItComes() throws Exception {
    int port = InstanceSpec.getRandomPort();
    try (Registry offline = Registry.connect(ZkTesting.config("127.0.0.1:" + port))) {
      ComponentRegistration reg = new ComponentRegistration(offline, gateway());
      assertFalse(offline.isConnected());
      reg.start(); // returns although nothing can be created
      assertNull(reg.path());
      reg.setState(ComponentState.RUNNING); // before the first create

      try (TestingServer late = TestZooKeeper.server(port); CuratorFramework look = TestZooKeeper.observer(late)) {
        Await.until("registered once ZooKeeper is up", () -> reg.path() != null
            && "running".equals(JSON.readTree(look.getData().forPath(reg.path())).get("state").asText()));
        reg.close();
        assertNull(reg.path());
        assertEquals(List.of(), look.getChildren().forPath("/zuul/components/fingergw"));
      }
    }
  }

  @Test
  void closeWritesStoppedAndRemovesNode() throws Exception {
    ComponentRegistration reg = new ComponentRegistration(registry, gateway());
    reg.start();
    reg.setState(ComponentState.RUNNING);
    String path = reg.path();
    assertNotNull(observer.checkExists().forPath(path));

    reg.close();
    assertNull(observer.checkExists().forPath(path), "deleted before close() returns");
    assertNull(reg.path());
    assertEquals(ComponentState.STOPPED, reg.state());
    reg.close(); // idempotent
    assertThrows(IllegalStateException.class, reg::start);
  }

  @Test
  void rejectsNamesThatWouldEscapeTheDirectory() {
    assertThrows(IllegalArgumentException.class,
        () -> new ComponentRegistration(registry, ComponentInfo.builder("fingergw", "a/b").build()));
    assertThrows(IllegalArgumentException.class,
        () -> new ComponentRegistration(registry, ComponentInfo.builder("..", "h").build()));
  }
}
