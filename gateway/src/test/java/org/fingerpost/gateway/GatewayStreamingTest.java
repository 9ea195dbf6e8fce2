package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RawFingerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logs streamed streamer -> gateway -> client arrive byte-identical to the file, whatever the file does. */
class GatewayStreamingTest {
  @TempDir
  Path jobDir;
  GatewayCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = GatewayCluster.start(jobDir);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void fiftyMegabyteLogIsByteIdentical() throws Exception {
    byte[] content = randomBytes(50 * 1024 * 1024, 50);
    String uuid = GatewayCluster.newBuildId();
    cluster.startBuild(uuid, content);
    try (RawFingerClient client = RawFingerClient.request(cluster.gateway.port(), uuid + "\n")) {
      byte[] got = client.readExactly(content.length);
      assertArrayEquals(sha256(content), sha256(got));
    }
  }

  @Test
  void invalidUtf8BytesPassUnchanged() throws Exception {
    byte[] content = {'o', 'k', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '\n', (byte) 0xe2, (byte) 0x82, 0, 1, '\r', '\n'};
    String uuid = GatewayCluster.newBuildId();
    cluster.startBuild(uuid, content);
    try (RawFingerClient client = RawFingerClient.request(cluster.gateway.port(), uuid + "\n")) {
      assertArrayEquals(content, client.readExactly(content.length));
    }
  }

  @Test
  void growingLogIsFollowedAndRemovalEndsTheStream() throws Exception {
    String uuid = GatewayCluster.newBuildId();
    Path log = cluster.startBuild(uuid, "first line\n".getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    written.write("first line\n".getBytes(StandardCharsets.UTF_8));
    try (RawFingerClient client = RawFingerClient.request(cluster.gateway.port(), uuid + "\n")) {
      assertEquals("first line\n", new String(client.readExactly(11), StandardCharsets.UTF_8));
      // Each append is read back before the next: the stream follows the file as it grows.
      for (int i = 0; i < 50; i++) {
        byte[] line = ("line " + i + " \u2713\n").getBytes(StandardCharsets.UTF_8);
        append(log, line);
        written.write(line);
        assertArrayEquals(line, client.readExactly(line.length));
      }
      // The executor cleans the job directory: the stream ends, nothing more arrives.
      deleteTree(jobDir.resolve(uuid));
      assertTrue(client.atEnd(), "stream should end once the log is removed");
    }
    Await.until("build node removed", () -> !cluster.exists("/zuul/executor/unzoned/requests/" + uuid));
  }

  @Test
  void truncatedLogIsReadAgainFromTheStart() throws Exception {
    String uuid = GatewayCluster.newBuildId();
    byte[] before = "a long first attempt of the log\n".getBytes(StandardCharsets.UTF_8);
    Path log = cluster.startBuild(uuid, before);
    try (RawFingerClient client = RawFingerClient.request(cluster.gateway.port(), uuid + "\n")) {
      assertArrayEquals(before, client.readExactly(before.length));
      byte[] after = "retry\n".getBytes(StandardCharsets.UTF_8);
      Files.write(log, after, StandardOpenOption.TRUNCATE_EXISTING);
      assertArrayEquals(after, client.readExactly(after.length));
    }
  }

  @Test
  void replacedLogIsReadAgainFromTheStart() throws Exception {
    String uuid = GatewayCluster.newBuildId();
    byte[] before = "old file contents that are long\n".getBytes(StandardCharsets.UTF_8);
    Path log = cluster.startBuild(uuid, before);
    try (RawFingerClient client = RawFingerClient.request(cluster.gateway.port(), uuid + "\n")) {
      assertArrayEquals(before, client.readExactly(before.length));
      Path fresh = log.resolveSibling("job-output.txt.new");
      byte[] after = "new\n".getBytes(StandardCharsets.UTF_8);
      Files.write(fresh, after);
      Files.move(fresh, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      assertArrayEquals(after, client.readExactly(after.length));
    }
  }

  @Test
  void crLfRequestOfTheFingerClientWorks() throws Exception {
    String uuid = GatewayCluster.newBuildId();
    byte[] content = "hello from the executor\n".getBytes(StandardCharsets.UTF_8);
    cluster.startBuild(uuid, content);
    try (RawFingerClient client = RawFingerClient.request(cluster.gateway.port(), uuid + "\r\n")) {
      assertArrayEquals(content, client.readExactly(content.length));
    }
  }

  @Test
  void manyReadersOfOneBuildEachGetEverything() throws Exception {
    byte[] content = randomBytes(2 * 1024 * 1024, 7);
    String uuid = GatewayCluster.newBuildId();
    cluster.startBuild(uuid, content);
    int readers = 20;
    CompletableFuture<?>[] all = new CompletableFuture<?>[readers];
    for (int i = 0; i < readers; i++) {
      all[i] = CompletableFuture.runAsync(() -> {
        try (RawFingerClient client = RawFingerClient.request(cluster.gateway.port(), uuid + "\n")) {
          if (!Arrays.equals(content, client.readExactly(content.length))) {
            throw new AssertionError("a reader got different bytes");
          }
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
    }
    CompletableFuture.allOf(all).get(60, TimeUnit.SECONDS);
  }

  static void append(Path log, byte[] bytes) throws Exception {
    try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
      out.write(bytes);
    }
  }

  static void deleteTree(Path root) throws Exception {
    try (var paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }
}
