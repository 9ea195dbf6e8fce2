package org.fingerpost.registry.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.registry.RegistryUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Events written with a real ZooKeeper, read back the way Zuul's scheduler reads them. */
class ConnectionEventQueueTest {
  static final Duration AWAIT = Duration.ofSeconds(30);
  /** The size the issue names for the side channel case: well above one node. */
  static final int LARGE_EVENT_BYTES = 3 * 1024 * 1024;

  TestingServer server;
  Registry registry;
  EventQueues queues;

  @BeforeEach
  void start() throws Exception {
    server = new TestingServer(new InstanceSpec((File) null, -1, -1, -1, true, -1, 100, -1), true);
  }

  void connect(int modelApi) throws Exception {
    registry = Registry.connect(RegistrySettings.builder(server.getConnectString())
        .sessionTimeout(Duration.ofSeconds(10)).connectionTimeout(Duration.ofSeconds(5)).modelApi(modelApi).build());
    assertTrue(registry.awaitConnected(AWAIT));
    queues = new EventQueues(registry, Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() throws Exception {
    if (queues != null) {
      queues.close();
    }
    if (registry != null) {
      registry.close();
    }
    server.close();
  }

  static String get(CompletableFuture<String> put) throws Exception {
    return put.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
  }

  static ObjectNode event(int bytes, long seed) {
    Random random = new Random(seed);
    ObjectNode data = ZuulEventReader.JSON.createObjectNode();
    data.putObject("headers").put("x-github-event", "push").put("x-github-delivery", "d-" + seed);
    byte[] noise = new byte[bytes * 3 / 4];
    random.nextBytes(noise);
    data.putObject("body").put("blob", Base64.getEncoder().encodeToString(noise)).put("\u00e9t\u00e9", 1.5);
    return data;
  }

  @Test
  void smallEventIsOneNodeWithZuulsExactBytes() throws Exception {
    connect(33);
    JsonNode data = ZuulEventReader.JSON.readTree("{\"payload\": {\"z\": 1, \"a\": \"\u00e9\"}}");
    String path = get(queues.connection("gitlab").put(data));
    assertTrue(path.matches("/zuul/events/connection/gitlab/events/queue/q\\d{10}"), path);
    assertEquals("{\"event_data\": {\"payload\": {\"a\": \"\\u00e9\", \"z\": 1}}}",
        new String(registry.curator().getData().forPath(path), StandardCharsets.UTF_8));
    List<ZuulEventReader.Event> read = ZuulEventReader.events(registry.curator(),
        "/zuul/events/connection/gitlab/events/queue");
    assertEquals(1, read.size());
    assertEquals(data, read.get(0).eventData());
    // Zuul's ensure_path of the queue, data and election roots.
    assertTrue(registry.curator().checkExists().forPath("/zuul/events/connection/gitlab/events/data") != null);
    assertTrue(registry.curator().checkExists().forPath("/zuul/events/connection/gitlab/election") != null);
  }

  @Test
  void largeEventGoesThroughOneStreamSideChannel() throws Exception {
    connect(33);
    ObjectNode data = event(LARGE_EVENT_BYTES, 1);
    String path = get(queues.connection("github").put(data));
    JsonNode node = ZuulEventReader.JSON.readTree(registry.curator().getData().forPath(path));
    String sideChannel = node.get("event_data_path").asText();
    assertTrue(sideChannel.matches("/zuul/events/connection/github/events/data/[0-9a-f-]{36}"), sideChannel);
    assertEquals(1, node.size(), "only event_data_path");
    List<String> shards = registry.curator().getChildren().forPath(sideChannel);
    assertTrue(shards.size() >= 3, "a 3 MB incompressible event needs several shards: " + shards);
    for (String s : shards) {
      assertTrue(s.matches("\\d{10}"), s);
      assertTrue(registry.curator().getData().forPath(sideChannel + "/" + s).length
          <= ConnectionEventQueue.NODE_BYTE_SIZE_LIMIT);
    }
    List<ZuulEventReader.Event> read = ZuulEventReader.events(registry.curator(),
        "/zuul/events/connection/github/events/queue");
    assertEquals(data, read.get(0).eventData());
    // Byte-exact: the side channel holds zlib.compress(json.dumps(event_data, sort_keys=True)).
    assertEquals(new String(PythonJson.dumps(data), StandardCharsets.US_ASCII), new String(
        ZuulEventReader.decompress(ZuulEventReader.readShards(registry.curator(), sideChannel)), StandardCharsets.US_ASCII));
  }

  @Test
  void beforeModelApi31EachShardIsCompressedOnItsOwn() throws Exception {
    connect(30);
    ObjectNode data = event(LARGE_EVENT_BYTES, 2);
    String path = get(queues.connection("github").put(data));
    String sideChannel = ZuulEventReader.JSON.readTree(registry.curator().getData().forPath(path))
        .get("event_data_path").asText();
    List<String> shards = new java.util.ArrayList<>(registry.curator().getChildren().forPath(sideChannel));
    shards.sort(null);
    assertTrue(shards.size() >= 3, shards.toString());
    for (String s : shards) {
      // every shard is a whole zlib stream of at most NODE_BYTE_SIZE_LIMIT - 1024 bytes of JSON
      byte[] piece = ZuulEventReader.decompress(registry.curator().getData().forPath(sideChannel + "/" + s));
      assertTrue(piece.length <= SideChannel.OLD_FORMAT_PIECE_BYTES);
    }
    assertEquals(data, ZuulEventReader.events(registry.curator(), "/zuul/events/connection/github/events/queue")
        .get(0).eventData());
  }

  @Test
  void disconnectedPutFailsAtOnceAndWritesNothing() throws Exception {
    connect(33);
    queues.connection("github"); // paths made on first put below
    get(queues.connection("github").put(ZuulEventReader.JSON.readTree("{\"a\": 1}")));
    TreeMap<String, String> before = tree(registry.curator(), "/zuul/events");
    java.util.concurrent.CountDownLatch down = disconnection();
    server.stop();
    assertTrue(down.await(AWAIT.toSeconds(), TimeUnit.SECONDS));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> get(queues.connection("github").put(ZuulEventReader.JSON.readTree("{\"a\": 2}"))));
    assertInstanceOf(RegistryUnavailableException.class, e.getCause());
    server.restart();
    assertTrue(registry.awaitConnected(AWAIT));
    assertTrue(queues.awaitSettled(AWAIT));
    assertEquals(before, tree(registry.curator(), "/zuul/events"));
  }

  @Test
  void zooKeeperLostBetweenSideChannelAndQueueNodeLeavesNothing() throws Exception {
    connect(33);
    get(queues.connection("github").put(ZuulEventReader.JSON.readTree("{\"a\": 1}")));
    TreeMap<String, String> before = tree(registry.curator(), "/zuul/events");
    queues.beforeQueueNode(() -> {
      try {
        // The side channel and all its shards are confirmed; ZooKeeper goes away now.
        assertTrue(registry.curator().getChildren().forPath("/zuul/events/connection/github/events/data").size() == 1);
        server.stop();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> get(queues.connection("github").put(event(LARGE_EVENT_BYTES, 3))));
    assertInstanceOf(RegistryUnavailableException.class, e.getCause());
    queues.beforeQueueNode(() -> { });
    server.restart();
    assertTrue(registry.awaitConnected(AWAIT));
    assertTrue(queues.awaitSettled(AWAIT), "clean-up done");
    assertEquals(before, tree(registry.curator(), "/zuul/events"), "no side channel, no queue node left");
  }

  /** Counts down when the registry's client reports the connection suspended or lost. */
  java.util.concurrent.CountDownLatch disconnection() {
    java.util.concurrent.CountDownLatch down = new java.util.concurrent.CountDownLatch(1);
    registry.curator().getConnectionStateListenable().addListener((c, state) -> {
      if (!state.isConnected()) {
        down.countDown();
      }
    });
    return down;
  }

  /** Every node under {@code root} with a digest of its data: the whole tree to compare. */
  static TreeMap<String, String> tree(CuratorFramework zk, String root) throws Exception {
    TreeMap<String, String> out = new TreeMap<>();
    if (zk.checkExists().forPath(root) == null) {
      return out;
    }
    walk(zk, root, out);
    return out;
  }

  private static void walk(CuratorFramework zk, String path, TreeMap<String, String> out) throws Exception {
    byte[] data = zk.getData().forPath(path);
    out.put(path, data == null ? "" : java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(data)));
    for (String child : zk.getChildren().forPath(path)) {
      walk(zk, path + "/" + child, out);
    }
  }
}
