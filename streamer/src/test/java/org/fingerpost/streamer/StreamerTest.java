package org.fingerpost.streamer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.test.TestingServer;
import org.apache.curator.utils.ZKPaths;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.testing.RawFingerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** End to end: a real Streamer on port 0, plain sockets, and a real ZooKeeper (Curator TestingServer). */
@Timeout(120)
class StreamerTest {
  private static final String HOSTNAME = "executor-1.example.org";
  private static final String COMPONENTS = "/zuul/components/executor";
  private static final Duration AWAIT = Duration.ofSeconds(20);

  @TempDir Path jobDir;
  private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

  @AfterEach
  void closeAll() throws Exception {
    while (!toClose.isEmpty()) {
      toClose.pop().close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    toClose.push(c);
    return c;
  }

  private StreamerSettings.Builder config() {
    return StreamerSettings.builder(jobDir).port(0).hostname(HOSTNAME);
  }

  private Streamer start(StreamerSettings.Builder config, Registry registry) throws IOException {
    Streamer s = closeLater(new Streamer(config.build(), registry));
    s.start();
    return s;
  }

  private Streamer start() throws IOException {
    return start(config(), null);
  }

  private Registry registry(TestingServer zk) throws InterruptedException {
    Registry r = closeLater(Registry.connect(RegistrySettings.builder(zk.getConnectString()).build()));
    assertTrue(r.awaitConnected(AWAIT));
    return r;
  }

  private Path writeLog(String id, byte[] content) throws IOException {
    return writeLog(jobDir, id, content);
  }

  private static Path writeLog(Path jobDir, String id, byte[] content) throws IOException {
    Path log = jobDir.resolve(id).resolve("work/logs/job-output.txt");
    Files.createDirectories(log.getParent());
    Files.write(log, content);
    return log;
  }

  private static void append(Path file, byte[] content) throws IOException {
    Files.write(file, content, StandardOpenOption.APPEND);
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  // ---- finger protocol ----

  @Test
  void servesFromByteZeroThenAppendsUntilTheLogIsRemoved() throws Exception {
    Streamer s = start();
    byte[] first = random(300_000, 1);
    byte[] second = "appended while streaming\n".getBytes(UTF_8);
    Path log = writeLog("0123456789abcdef0123456789abcdef", first);
    try (RawFingerClient c = RawFingerClient.request(s.port(), "0123456789abcdef0123456789abcdef\n")) {
      assertArrayEquals(first, c.readAtLeast(first.length));
      append(log, second);
      c.readAtLeast(first.length + second.length);
      Files.delete(log);
      assertArrayEquals(concat(first, second), c.readToEnd());
    }
  }

  @Test
  void acceptsCrLfAndTheLongFormatPrefix() throws Exception {
    Streamer s = start();
    byte[] content = "line one\r\nline two, \u00e9t\u00e9\n".getBytes(UTF_8);
    Path log = writeLog("ABCDEF12", content);
    try (RawFingerClient crlf = RawFingerClient.request(s.port(), "ABCDEF12\r\n");
        RawFingerClient longFormat = RawFingerClient.request(s.port(), "/W ABCDEF12\r\n")) {
      crlf.readAtLeast(content.length);
      longFormat.readAtLeast(content.length);
      Files.delete(log);
      assertArrayEquals(content, crlf.readToEnd());
      assertArrayEquals(content, longFormat.readToEnd());
    }
  }

  @Test
  void errorMessagesAreExact() throws Exception {
    Streamer s = start();
    assertEquals("Build ID not-hex is not valid", new String(RawFingerClient.fetch(s.port(), "not-hex\n"), UTF_8));
    assertEquals("Build ID ../etc is not valid", new String(RawFingerClient.fetch(s.port(), "../etc\r\n"), UTF_8));
    assertEquals("Build ID abc123 not found", new String(RawFingerClient.fetch(s.port(), "abc123\n"), UTF_8));
    Files.createDirectories(jobDir.resolve("def456"));
    assertEquals("Log not found for build ID def456",
        new String(RawFingerClient.fetch(s.port(), "def456\n"), UTF_8));
    Files.createDirectories(jobDir.resolve("def456/work/logs"));
    assertEquals("Log not found for build ID def456",
        new String(RawFingerClient.fetch(s.port(), "def456\r\n"), UTF_8));
    // A file where the build directory should be is no build directory.
    Files.write(jobDir.resolve("ffff"), new byte[] {1});
    assertEquals("Build ID ffff not found", new String(RawFingerClient.fetch(s.port(), "ffff\n"), UTF_8));
  }

  @Test
  void concurrentReadersEachGetEverything() throws Exception {
    Streamer s = start();
    byte[] first = random(5 * 1024 * 1024, 2);
    byte[] second = random(100_000, 3);
    Path log = writeLog("cafe", first);
    CountDownLatch haveFirst = new CountDownLatch(2);
    List<CompletableFuture<byte[]>> readers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      RawFingerClient c = closeLater(RawFingerClient.request(s.port(), "cafe\n"));
      readers.add(CompletableFuture.supplyAsync(() -> {
        try {
          c.readAtLeast(first.length);
          haveFirst.countDown();
          return c.readToEnd();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }));
    }
    assertTrue(haveFirst.await(AWAIT.toMillis(), TimeUnit.MILLISECONDS));
    assertEquals(2, s.activeStreams());
    append(log, second);
    Files.delete(log);
    byte[] expected = concat(first, second);
    for (CompletableFuture<byte[]> r : readers) {
      assertArrayEquals(expected, r.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS));
    }
    assertTrue(s.awaitNoStreams(AWAIT), "streams released");
  }

  @Test
  void stalledReadersDoNotHoldUpOthers() throws Exception {
    Streamer s = start();
    byte[] content = random(8 * 1024 * 1024, 4);
    writeLog("beef", content);
    // More clients than read threads, none of them reading: their streams wait on backpressure
    // without holding a thread.
    for (int i = 0; i < 2 * Streamer.READ_THREADS; i++) {
      closeLater(RawFingerClient.request(s.port(), "beef\n"));
    }
    try (RawFingerClient reader = RawFingerClient.request(s.port(), "beef\n")) {
      assertArrayEquals(content, reader.readAtLeast(content.length));
    }
  }

  @Test
  void clientDisconnectReleasesTheStream() throws Exception {
    Streamer s = start();
    writeLog("1234", random(1024, 5));
    try (RawFingerClient c = RawFingerClient.request(s.port(), "1234\n")) {
      c.readAtLeast(1024);
      assertEquals(1, s.activeStreams());
    }
    assertTrue(s.awaitNoStreams(AWAIT), "stream released after the client left");
  }

  @Test
  void closeEndsOpenStreams() throws Exception {
    Streamer s = start();
    byte[] content = random(1000, 6);
    writeLog("5678", content);
    try (RawFingerClient c = RawFingerClient.request(s.port(), "5678\n")) {
      c.readAtLeast(content.length);
      s.close();
      assertArrayEquals(content, c.readToEnd()); // the server closed the connection
    }
    assertEquals(0, s.activeStreams());
    assertThrows(IllegalStateException.class, s::start);
  }

  @Test
  void listensOnTheDefaultAddress() throws Exception {
    // "::" accepts IPv4 clients too (the test client connects to 127.0.0.1).
    Streamer s = start(config().listenAddress(StreamerSettings.DEFAULT_LISTEN_ADDRESS), null);
    assertNotEquals(-1, s.port());
    assertEquals("Build ID 00 not found", new String(RawFingerClient.fetch(s.port(), "00\n"), UTF_8));
  }

  @Test
  void portInUseFailsStartAndReleasesEverything() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
      taken.bind(new java.net.InetSocketAddress("0.0.0.0", 0));
      Streamer s = new Streamer(config().listenAddress("0.0.0.0").port(taken.getLocalPort()).build(), null);
      assertThrows(IOException.class, s::start);
      assertThrows(IllegalStateException.class, s::start);
      s.close(); // still fine
    }
  }

  // ---- registry ----

  @Test
  void registersARunningExecutorComponent() throws Exception {
    TestingServer zk = closeLater(new TestingServer(true));
    Registry registry = registry(zk);
    ZkObserver zoo = closeLater(new ZkObserver(zk.getConnectString()));
    Streamer s = start(config().zone("zone-a"), registry);

    ChildData node = zoo.await("a running executor", () -> zoo.children(COMPONENTS).stream()
        .filter(d -> "running".equals(ZkObserver.json(d).path("state").asText()))
        .findFirst().orElse(null));
    // Zuul's node name: the hostname and the sequence, no separator.
    assertTrue(ZKPaths.getNodeFromPath(node.getPath()).matches(java.util.regex.Pattern.quote(HOSTNAME) + "\\d{10}"),
        node.getPath());
    assertTrue(node.getStat().getEphemeralOwner() != 0, "ephemeral");
    JsonNode json = ZkObserver.json(node);
    assertEquals("executor", json.path("kind").asText());
    assertEquals(HOSTNAME, json.path("hostname").asText());
    assertEquals("running", json.path("state").asText());
    assertEquals("zone-a", json.path("zone").asText());
    assertEquals(s.port(), json.path("log_port").asInt());
    assertEquals(Streamer.VERSION, json.path("version").asText());
    // Zuul's ExecutorComponent keys, honest: not an executor accepting work; plain port: no use_ssl.
    assertEquals(false, json.path("accepting_work").asBoolean(true));
    assertEquals(false, json.path("allow_unzoned").asBoolean(true));
    assertEquals(false, json.path("process_merge_jobs").asBoolean(true));
    assertEquals(false, json.path("use_ssl").asBoolean(true));
    assertEquals(33, json.path("model_api").asInt(), "no Zuul component: the configured default");
    assertTrue(json.has("fingerpost"), json.toString());
    assertTrue(Streamer.VERSION.matches("\\d+\\.\\d+.*"), Streamer.VERSION);
    assertFalse(json.has("public_port"));
    assertEquals(1, zoo.children(COMPONENTS).size());

    s.close();
    zoo.awaitAbsent(node.getPath());
  }

  @Test
  void buildNodesMirrorTheJobDirectory() throws Exception {
    TestingServer zk = closeLater(new TestingServer(true));
    Registry registry = registry(zk);
    ZkObserver zoo = closeLater(new ZkObserver(zk.getConnectString()));
    String requests = "/zuul/executor/zones/zone-a/requests/";
    Path early = writeLog("aaaa1111", "before start\n".getBytes(UTF_8));
    Streamer s = start(config().zone("zone-a").tenant("tenant-one"), registry);

    // A build already there at start.
    JsonNode a = zoo.awaitJson(requests + "aaaa1111", j -> true);
    assertEquals("aaaa1111", a.path("uuid").asText());
    assertEquals("running", a.path("state").asText());
    assertEquals("tenant-one", a.path("tenant_name").asText());
    JsonNode worker = a.path("worker_info");
    assertEquals(HOSTNAME, worker.path("hostname").asText());
    assertEquals(s.port(), worker.path("log_port").asInt());
    assertEquals("zone-a", worker.path("zone").asText());
    assertNotEquals(0, zoo.node(requests + "aaaa1111").getStat().getEphemeralOwner(), "ephemeral");

    // A build that starts later; then one ends by its log going, the other by its directory going.
    writeLog("bbbb2222", "x\n".getBytes(UTF_8));
    zoo.awaitJson(requests + "bbbb2222", j -> "bbbb2222".equals(j.path("uuid").asText()));
    assertEquals(Set.of("aaaa1111", "bbbb2222"), s.publishedBuilds());
    Files.delete(early);
    zoo.awaitAbsent(requests + "aaaa1111");
    deleteTree(jobDir.resolve("bbbb2222"));
    zoo.awaitAbsent(requests + "bbbb2222");

    // A directory whose name is not a build id is never published.
    writeLog("not-a-build", "y\n".getBytes(UTF_8));
    writeLog("cccc3333", "z\n".getBytes(UTF_8));
    zoo.awaitJson(requests + "cccc3333", j -> true);
    assertEquals(Set.of("cccc3333"), s.publishedBuilds());

    // Closing removes the build nodes and the component.
    s.close();
    zoo.awaitAbsent(requests + "cccc3333");
    zoo.await("no executor component", () -> zoo.children(COMPONENTS).isEmpty() ? Boolean.TRUE : null);
  }

  @Test
  void unzonedBuildsAndTheNoPublishSetting() throws Exception {
    TestingServer zk = closeLater(new TestingServer(true));
    Registry registry = registry(zk);
    ZkObserver zoo = closeLater(new ZkObserver(zk.getConnectString()));
    Path quietDir = Files.createDirectories(jobDir.resolve("quiet"));
    Path loudDir = Files.createDirectories(jobDir.resolve("loud"));
    writeLog(quietDir, "dddd4444", "q\n".getBytes(UTF_8));
    // Next to a real Zuul: registers the component but never writes build nodes.
    Streamer quiet = start(StreamerSettings.builder(quietDir).port(0).hostname("quiet-host")
        .publishBuilds(false), registry);
    Streamer loud = start(StreamerSettings.builder(loudDir).port(0).hostname("loud-host"), registry);
    writeLog(loudDir, "eeee5555", "l\n".getBytes(UTF_8));

    JsonNode e = zoo.awaitJson("/zuul/executor/unzoned/requests/eeee5555", j -> true);
    assertEquals("default", e.path("tenant_name").asText());
    assertEquals("loud-host", e.path("worker_info").path("hostname").asText());
    assertEquals(loud.port(), e.path("worker_info").path("log_port").asInt());
    assertFalse(e.path("worker_info").has("zone"));
    zoo.await("both components running", () -> zoo.children(COMPONENTS).stream()
        .filter(d -> "running".equals(ZkObserver.json(d).path("state").asText())).count() == 2 ? 1 : null);
    assertEquals(Set.of(), quiet.publishedBuilds());
    assertFalse(zoo.json("/zuul/executor/unzoned/requests/dddd4444").isPresent());
    // The quiet one still serves its builds.
    Path log = quietDir.resolve("dddd4444/work/logs/job-output.txt");
    try (RawFingerClient c = RawFingerClient.request(quiet.port(), "dddd4444\n")) {
      c.readAtLeast(2);
      Files.delete(log);
      assertEquals("q\n", new String(c.readToEnd(), UTF_8));
    }
  }
}
