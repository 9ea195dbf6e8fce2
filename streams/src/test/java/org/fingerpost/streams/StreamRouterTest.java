package org.fingerpost.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.fingerpost.registry.BuildDirectory;
import org.fingerpost.registry.ComponentDirectory;
import org.fingerpost.registry.ComponentInfo;
import org.fingerpost.registry.ComponentRegistration;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistryUnavailableException;
import org.fingerpost.registry.ZkTesting;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RecordingSink;
import org.fingerpost.testing.TestZooKeeper;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.LogTransport;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget.Route;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.Transports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamRouterTest {
  /** A registry that never connects: a directory on it fails every call, proving a call never happened. */
  private static Registry offline;
  private static ComponentDirectory unusableComponents;

  private TestingServer server;
  private Registry registry;
  private CuratorFramework zk;
  private FakeTransport transport;
  private ComponentDirectory components;
  private BuildDirectory builds;

  /** Records the targets it is asked to open and answers with a fixed text, then the end. */
  static final class FakeTransport implements LogTransport {
    final List<StreamTarget> opened = new CopyOnWriteArrayList<>();
    final AtomicBoolean closedStream = new AtomicBoolean();

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public boolean supports(StreamTarget target) {
      return true;
    }

    @Override
    public LogStream open(StreamTarget target, LogSink sink) {
      opened.add(target);
      sink.onData(ByteBuffer.wrap(("log of " + target.buildId()).getBytes(UTF_8)), sink::onEnd);
      return () -> closedStream.set(true);
    }
  }

  @BeforeAll
  static void startOffline() {
    offline = Registry.connect(ZkTesting.config("127.0.0.1:" + InstanceSpec.getRandomPort()));
    unusableComponents = new ComponentDirectory(offline);
  }

  @AfterAll
  static void stopOffline() {
    offline.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    server = TestZooKeeper.server();
    registry = ZkTesting.registry(server);
    zk = TestZooKeeper.observer(server);
    transport = new FakeTransport();
    components = new ComponentDirectory(registry);
    builds = new BuildDirectory(registry);
  }

  @AfterEach
  void tearDown() throws Exception {
    zk.close();
    registry.close();
    server.close();
  }

  private StreamRouter router(String zone) {
    return StreamRouter.builder(builds, components, Transports.of(transport)).zone(zone).random(new Random(7)).build();
  }

  /** A router whose gateway listing always fails: resolving through it proves nothing was listed. */
  private StreamRouter routerThatMustNotListGateways(String zone) {
    return StreamRouter.builder(builds, unusableComponents, Transports.of(transport)).zone(zone).random(new Random(7)).build();
  }

  private void build(String uuid, String zone, String tenant, String workerJson) throws Exception {
    String path = zone == null ? "/zuul/executor/unzoned/requests/" + uuid
        : "/zuul/executor/zones/" + zone + "/requests/" + uuid;
    zk.create().creatingParentsIfNeeded().forPath(path, ("{\"uuid\":\"" + uuid + "\",\"state\":\"running\","
        + "\"tenant_name\":\"" + tenant + "\"" + (workerJson != null ? ",\"worker_info\":" + workerJson : "")
        + "}").getBytes(UTF_8));
  }

  @Test
  void sameZoneOpensDirectlyWithoutListingGateways() throws Exception {
    build("aa", "east", "t", "{\"hostname\":\"ex1\",\"log_port\":7900,\"zone\":\"east\"}");
    RecordingSink sink = new RecordingSink();
    routerThatMustNotListGateways("east").open("aa", sink);
    assertTrue(sink.ended.get(5, TimeUnit.SECONDS));
    assertEquals("log of aa", sink.text());
    StreamTarget t = transport.opened.get(0);
    assertEquals(Route.DIRECT, t.route());
    assertEquals("ex1", t.host());
    assertEquals(7900, t.port());
  }

  @Test
  void otherZoneGoesThroughTheRegisteredGateway() throws Exception {
    build("bb", "east", "t", "{\"hostname\":\"ex1\",\"log_port\":7900,\"zone\":\"east\"}");
    try (ComponentRegistration gw = new ComponentRegistration(registry, ComponentInfo.builder("fingergw", "gw-east")
        .zone("east").publicPort(7979).useSsl(true).build())) {
      gw.start();
      // Initializing: not routable yet.
      StreamTarget before = router("west").resolve("bb");
      assertEquals(Route.DIRECT_FALLBACK, before.route());

      gw.setState(ComponentState.RUNNING);
      Await.until("gateway running", () -> components.list("fingergw").get(0).isRunning());
      StreamTarget t = router("west").resolve("bb");
      assertEquals(Route.GATEWAY, t.route());
      assertEquals("gw-east", t.host());
      assertEquals(7979, t.port());
      assertTrue(t.tls());
      assertEquals("east", t.zone());

      StreamTarget fromUnzoned = router(null).resolve("bb");
      assertEquals(Route.GATEWAY, fromUnzoned.route());
    }
  }

  @Test
  void unzonedWorkerNeverListsGateways() throws Exception {
    build("cc", null, "t", "{\"hostname\":\"ex9\",\"log_port\":7900}");
    assertEquals(Route.DIRECT, routerThatMustNotListGateways("west").resolve("cc").route());
    assertEquals(Route.DIRECT, routerThatMustNotListGateways(null).resolve("cc").route());
  }

  @Test
  void notFoundAndNotStartedGoToTheSink() throws Exception {
    build("dd", null, "t", null);
    RecordingSink missing = new RecordingSink();
    assertSame(LogStream.CLOSED, router("east").open("ee", missing));
    assertEquals("Build not found", missing.failed.get(5, TimeUnit.SECONDS).wireMessage());

    RecordingSink notStarted = new RecordingSink();
    routerThatMustNotListGateways("west").open("dd", notStarted);
    assertEquals("Build did not start yet", notStarted.failed.get(5, TimeUnit.SECONDS).wireMessage());
    assertTrue(transport.opened.isEmpty());

    RecordingSink invalid = new RecordingSink();
    router("east").open("../../x", invalid);
    assertEquals(StreamException.Kind.BUILD_NOT_FOUND, invalid.failed.get(5, TimeUnit.SECONDS).kind());
  }

  @Test
  void otherTenantsBuildIsNotFound() throws Exception {
    build("ff", null, "alpha", "{\"hostname\":\"ex\",\"log_port\":7900}");
    assertEquals(Route.DIRECT, router(null).resolve("ff", "alpha").route());
    StreamException e = assertThrows(StreamException.class, () -> router(null).resolve("ff", "beta"));
    assertEquals(StreamException.Kind.BUILD_NOT_FOUND, e.kind());
  }

  @Test
  void registryDownIsAnInternalError() throws Exception {
    build("ab", "east", "t", "{\"hostname\":\"ex1\",\"log_port\":7900,\"zone\":\"east\"}");
    server.stop();
    Await.until("disconnect noticed", () -> !registry.isConnected());

    StreamException e = assertThrows(StreamException.class, () -> router("west").resolve("ab"));
    assertEquals(StreamException.Kind.INTERNAL, e.kind());
    assertEquals("Internal streaming error", e.wireMessage());
    assertTrue(e.getCause() instanceof RegistryUnavailableException);

    RecordingSink sink = new RecordingSink();
    assertSame(LogStream.CLOSED, router("west").open("ab", sink));
    assertEquals(StreamException.Kind.INTERNAL, sink.failed.get(5, TimeUnit.SECONDS).kind());
    assertTrue(transport.opened.isEmpty());
  }

  @Test
  void gatewayListingFailureIsAnInternalError() throws Exception {
    build("ac", "east", "t", "{\"hostname\":\"ex1\",\"log_port\":7900,\"zone\":\"east\"}");
    StreamException e = assertThrows(StreamException.class, () -> routerThatMustNotListGateways("west").resolve("ac"));
    assertEquals(StreamException.Kind.INTERNAL, e.kind());
    assertTrue(e.getCause() instanceof RegistryUnavailableException);
  }

  @Test
  void noTransportIsAnInternalErrorInTheSink() throws Exception {
    build("ad", null, "t", "{\"hostname\":\"ex\",\"log_port\":7900}");
    StreamRouter router = StreamRouter.builder(builds, components, Transports.of()).build();
    RecordingSink sink = new RecordingSink();
    router.open("ad", sink);
    assertEquals(StreamException.Kind.INTERNAL, sink.failed.get(5, TimeUnit.SECONDS).kind());
  }

  @Test
  void openAsyncResolvesOffTheCallingThread() throws Exception {
    build("ae", null, "t", "{\"hostname\":\"ex\",\"log_port\":7900}");
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      RecordingSink sink = new RecordingSink();
      LogStream stream = router(null).openAsync("ae", null, sink, executor);
      assertTrue(sink.ended.get(5, TimeUnit.SECONDS));
      assertEquals("log of ae", sink.text());
      stream.close();
      // The lookup thread may still be handing the opened stream over: it closes it once it sees close().
      Await.until("closing closes the upstream stream", transport.closedStream::get);

      // Closed before the lookup ran: nothing reaches the sink, nothing is opened.
      CountDownLatch gate = new CountDownLatch(1);
      executor.execute(() -> {
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      RecordingSink cancelled = new RecordingSink();
      router(null).openAsync("ae", null, cancelled, executor).close();
      gate.countDown();
      executor.shutdown();
      assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS));
      assertFalse(cancelled.ended.isDone());
      assertFalse(cancelled.failed.isDone());
      assertEquals(1, transport.opened.size());

      RecordingSink rejected = new RecordingSink();
      router(null).openAsync("ae", null, rejected, executor); // shut down: rejects
      assertEquals(StreamException.Kind.INTERNAL, rejected.failed.get(5, TimeUnit.SECONDS).kind());
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void zoneIsNormalised() {
    assertEquals("west", router("west").zone());
    assertNull(router(" ").zone());
    assertNull(router(null).zone());
  }
}
