package org.fingerpost.streams;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.fingerpost.registry.BuildPublisher;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.WorkerInfo;
import org.fingerpost.registry.ZkTesting;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RecordingSink;
import org.fingerpost.testing.TestZooKeeper;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.LogTransport;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.Transports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The front's own job: watched copies, lookups off the caller's thread, one upstream per build. */
class StreamFrontTest {
  private static final long WAIT_SECONDS = 15;

  private TestingServer server;
  private Registry registry;
  private BuildPublisher publisher;
  private final HeldTransport transport = new HeldTransport();
  private StreamFront front;
  private org.fingerpost.registry.ComponentRegistration executor;

  /** Opens streams that send one chunk and stay open until the test ends them. */
  static final class HeldTransport implements LogTransport {
    final List<StreamTarget> opened = new CopyOnWriteArrayList<>();
    final List<LogSink> sinks = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "held";
    }

    @Override
    public boolean supports(StreamTarget target) {
      return true;
    }

    @Override
    public LogStream open(StreamTarget target, LogSink sink) {
      opened.add(target);
      sinks.add(sink);
      sink.onData(ByteBuffer.wrap(("log of " + target.buildId() + "\n").getBytes(UTF_8)), () -> { });
      return () -> { };
    }
  }

  /** {@code viewer}'s text once it is {@code expected} (fails after the await's timeout). */
  static String arrived(RecordingSink viewer, String expected) {
    Await.until("the viewer received " + expected.strip(), () -> viewer.text().equals(expected));
    return viewer.text();
  }

  @BeforeEach
  void setUp() throws Exception {
    server = TestZooKeeper.server();
    registry = ZkTesting.registry(server);
    publisher = new BuildPublisher(registry, "tenant", new WorkerInfo("ex1", 7900, null));
    // The worker's executor entry, as a Fingerpost streamer writes it: the front dials registered executors only.
    executor = new org.fingerpost.registry.ComponentRegistration(registry, org.fingerpost.registry.ComponentInfo
        .builder("executor", "ex1").state(org.fingerpost.registry.ComponentState.RUNNING).extra("log_port", 7900)
        .build());
    executor.start();
    Await.until("executor registered", () -> registry.curator().checkExists().forPath("/zuul/components/executor") != null
        && !registry.curator().getChildren().forPath("/zuul/components/executor").isEmpty());
    front = StreamFront.builder(registry, Transports.of(transport)).lookupThreads(2).threadName("test-lookup")
        .build();
    front.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    front.close();
    executor.close();
    publisher.close();
    registry.close();
    server.close();
  }

  @Test
  void viewersOfOneBuildShareOneUpstreamFromTheWatchedCopy() throws Exception {
    String uuid = "abc123";
    publisher.publish(uuid);
    assertTrue(front.builds().awaitCacheReady(Duration.ofSeconds(WAIT_SECONDS)), "watched copy of the builds");
    Await.until("build in the copy", () -> front.builds().find(uuid).isPresent());

    RecordingSink first = new RecordingSink();
    RecordingSink second = new RecordingSink();
    front.open(uuid, "tenant", 0, first);
    assertEquals("log of abc123\n", arrived(first, "log of abc123\n"));
    front.open(uuid, "tenant", 0, second);
    assertEquals("log of abc123\n", arrived(second, "log of abc123\n"),
        "a late viewer gets the shared window from byte 0");
    assertEquals(1, transport.opened.size(), "one upstream for both viewers");
    assertEquals(StreamTarget.Route.DIRECT, transport.opened.get(0).route());
    assertEquals(1, front.metrics().openedCount(StreamTarget.Route.DIRECT));
    assertEquals(2, front.sharedStreams().viewerCount());

    // The build finished (its node is gone), then its upstream ends: the end of the log.
    publisher.remove(uuid);
    Await.until("build gone from the copy", () -> front.builds().find(uuid).isEmpty());
    transport.sinks.get(0).onEnd();
    assertEquals(null, first.done.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(null, second.done.get(WAIT_SECONDS, TimeUnit.SECONDS));
  }

  @Test
  void unknownBuildsAndTenantsAreNotFound() throws Exception {
    publisher.publish("beef01");
    Await.until("build in the copy", () -> front.builds().find("beef01").isPresent());
    RecordingSink missing = new RecordingSink();
    front.open("def456", null, 0, missing);
    assertEquals(StreamException.Kind.BUILD_NOT_FOUND, missing.done.get(WAIT_SECONDS, TimeUnit.SECONDS).kind());
    RecordingSink otherTenant = new RecordingSink();
    front.open("beef01", "another-tenant", 0, otherTenant);
    assertEquals(StreamException.Kind.BUILD_NOT_FOUND,
        otherTenant.done.get(WAIT_SECONDS, TimeUnit.SECONDS).kind());
    assertTrue(transport.opened.isEmpty());
  }

  @Test
  void startsOnceAndRefusesViewersAfterClose() throws Exception {
    assertThrows(IllegalStateException.class, front::start);
    front.close();
    front.close(); // idempotent
    RecordingSink late = new RecordingSink();
    front.open("abc123", null, 0, late);
    assertEquals(StreamException.Kind.INTERNAL, late.done.get(WAIT_SECONDS, TimeUnit.SECONDS).kind(),
        "no lookup thread any more: Internal streaming error, at once");
    assertThrows(IllegalArgumentException.class,
        () -> StreamFront.builder(registry, Transports.of(transport)).lookupThreads(0));
  }
}
