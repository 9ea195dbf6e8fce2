package org.fingerpost.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.TestZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fingerpost's registrations never lower Zuul's system data-model version: Zuul's nodes are written
 * here as Zuul's Python writes them (sorted keys, {@code json.dumps} spacing, sequential names), and
 * the system minimum is computed as Zuul's {@code ComponentRegistry.getMinimumModelApi} does.
 */
class ModelApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestingServer server;
  private CuratorFramework zuul;
  private final List<AutoCloseable> closeLater = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    server = TestZooKeeper.server();
    zuul = TestZooKeeper.observer(server);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closeLater.size() - 1; i >= 0; i--) {
      closeLater.get(i).close();
    }
    zuul.close();
    server.close();
  }

  private Registry registry(int configuredModelApi) throws InterruptedException {
    Registry r = Registry.connect(ZkTesting.config(server.getConnectString()).toBuilder()
        .modelApi(configuredModelApi).build());
    assertTrue(r.awaitConnected(TestZooKeeper.AWAIT));
    closeLater.add(r);
    return r;
  }

  /** Registers a Zuul component the way {@code BaseComponent.register} does; returns its path. */
  private String zuulComponent(String kind, String hostname, Integer modelApi) throws Exception {
    String apiKey = modelApi == null ? "" : ", \"model_api\": " + modelApi;
    String json = "{\"hostname\": \"" + hostname + "\", \"kind\": \"" + kind + "\"" + apiKey
        + ", \"state\": \"running\", \"version\": \"11.2.0\"}";
    return zuul.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
        .forPath("/zuul/components/" + kind + "/" + hostname, json.getBytes(UTF_8));
  }

  /** Zuul's {@code getMinimumModelApi} over what is in ZooKeeper now (its own MODEL_API: 99). */
  private int zuulSystemMinimum() throws Exception {
    int min = 99;
    for (String kind : ModelApi.ZUUL_KINDS) {
      String dir = "/zuul/components/" + kind;
      if (zuul.checkExists().forPath(dir) == null) {
        continue;
      }
      for (String child : zuul.getChildren().forPath(dir)) {
        JsonNode node = JSON.readTree(zuul.getData().forPath(dir + "/" + child));
        min = Math.min(min, node.path("model_api").asInt(0));
      }
    }
    return min;
  }

  private ComponentRegistration register(Registry registry, String kind, String hostname) {
    ComponentRegistration r = new ComponentRegistration(registry, ComponentInfo.builder(kind, hostname)
        .state(ComponentState.RUNNING).build());
    closeLater.add(r);
    r.start();
    return r;
  }

  private int registeredModelApi(ComponentRegistration r) throws Exception {
    return JSON.readTree(zuul.getData().forPath(r.path())).path("model_api").asInt(-1);
  }

  @Test
  void withoutZuulComponentsTheConfiguredValueIsUsed() throws Exception {
    Registry registry = registry(31);
    ComponentRegistration gw = register(registry, "fingergw", "gw1");
    assertEquals(31, registeredModelApi(gw));
    assertEquals(31, registry.modelApi().current());
  }

  @Test
  void followsZuulsMinimumThroughARollingUpgradeAndNeverLowersIt() throws Exception {
    String scheduler = zuulComponent("scheduler", "zs1", 33);
    String executor = zuulComponent("executor", "ze1", 33);
    // Nodes Zuul does not count, or that are Fingerpost's own, are never followed.
    zuulComponent("other-kind", "x", 5);
    zuul.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
        .forPath("/zuul/components/web/old-fp",
        "{\"kind\":\"web\",\"hostname\":\"old-fp\",\"model_api\":20,\"fingerpost\":\"0.0.1\"}".getBytes(UTF_8));
    Registry registry = registry(40);
    ComponentRegistration gw = register(registry, "fingergw", "gw1");
    ComponentRegistration web = register(registry, "web", "web1");
    // The first node written already carries Zuul's value, never the configured guess.
    assertEquals(33, registeredModelApi(gw));
    assertEquals(33, registeredModelApi(web));
    assertEquals(20, zuulSystemMinimum(), "only the stale Fingerpost node is lower, as before");
    zuul.delete().forPath(zuul.getChildren().forPath("/zuul/components/web").stream()
        .filter(c -> c.startsWith("old-fp")).map(c -> "/zuul/components/web/" + c).findFirst().orElseThrow());
    assertEquals(33, zuulSystemMinimum());

    // Rolling upgrade: the scheduler restarts at 34 first; the executor still runs 33.
    zuul.delete().forPath(scheduler);
    zuulComponent("scheduler", "zs1", 34);
    Await.until("executor still at 33 keeps the system at 33", () -> zuulSystemMinimum() == 33);
    assertEquals(33, registeredModelApi(gw));
    zuul.delete().forPath(executor);
    String upgraded = zuulComponent("executor", "ze1", 34);
    Await.until("Fingerpost's nodes follow to 34", () -> registeredModelApi(gw) == 34
        && registeredModelApi(web) == 34);
    assertEquals(34, zuulSystemMinimum(), "the upgrade ends with the system at 34");

    // Every Zuul component gone for a moment (a restart): keep 34, do not fall back to 40.
    zuul.delete().forPath(upgraded);
    zuul.delete().forPath(zuul.getChildren().forPath("/zuul/components/scheduler").stream()
        .map(c -> "/zuul/components/scheduler/" + c).findFirst().orElseThrow());
    // Events arrive in order: had the deletions made it fall back to 40, 40 would be seen before 35.
    List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    registry.modelApi().addListener(seen::add);
    zuulComponent("merger", "zm1", 35);
    // Listeners are told after current() changes: wait for the listener, not for current().
    Await.until("the next Zuul component is followed", () -> !seen.isEmpty());
    assertEquals(List.of(35), seen, "34 was kept while no Zuul component was registered");
    assertEquals(35, registry.modelApi().current());
    Await.until("and written", () -> registeredModelApi(gw) == 35);
  }

  @Test
  void aZuulComponentWithoutModelApiCountsAsZeroAsInZuul() throws Exception {
    zuulComponent("merger", "old-merger", null);
    zuulComponent("scheduler", "zs1", 33);
    Registry registry = registry(33);
    ComponentRegistration gw = register(registry, "fingergw", "gw1");
    assertEquals(0, registeredModelApi(gw), "the system is at 0 already; never above nor below it");
    assertEquals(0, zuulSystemMinimum());
  }

  @Test
  void registrationWaitsForTheComponentsToBeReadWhenZooKeeperWasDown() throws Exception {
    // Persistent here, so that it survives the server restart whatever the session timing.
    zuul.create().creatingParentContainersIfNeeded().forPath("/zuul/components/scheduler/zs10000000000",
        "{\"hostname\": \"zs1\", \"kind\": \"scheduler\", \"model_api\": 34}".getBytes(UTF_8));
    Registry registry = registry(33);
    server.stop();
    Await.until("disconnected", () -> !registry.isConnected());
    ComponentRegistration gw = new ComponentRegistration(registry, ComponentInfo.builder("fingergw", "gw1")
        .state(ComponentState.RUNNING).build());
    closeLater.add(gw);
    gw.start(); // returns at once: not connected
    server.restart();
    Await.until("registered once ZooKeeper is back", () -> gw.path() != null
        && zuul.checkExists().forPath(gw.path()) != null);
    assertEquals(34, registeredModelApi(gw), "registered with Zuul's value, not the configured 33");
  }
}
