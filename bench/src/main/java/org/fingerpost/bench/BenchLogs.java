package org.fingerpost.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.fingerpost.registry.Registry;
import org.fingerpost.testing.Await;

/**
 * The build logs and build nodes the throughput benchmarks share ({@link RelayThroughput}, {@link
 * TlsRelayThroughput}, {@link ZoneRelayBench}): a large log of random bytes, kept between runs, and
 * the wait for a streamer to publish its build. Stateless.
 */
final class BenchLogs {
  /** Longest wait for a build node to appear. */
  static final Duration NODE_TIMEOUT = Duration.ofSeconds(30);
  /** Bytes written at a time while a log is made. */
  private static final int BLOCK_BYTES = 1024 * 1024;

  private BenchLogs() {}

  /**
   * Makes {@code log} exactly {@code size} bytes of pseudo-random data (one block from {@code seed},
   * repeated), unless a file of that size is already there from an earlier run.
   */
  static void ensure(Path log, long size, long seed) throws IOException {
    if (Files.isRegularFile(log) && Files.size(log) == size) {
      return;
    }
    Files.createDirectories(log.getParent());
    byte[] block = new byte[BLOCK_BYTES];
    new Random(seed).nextBytes(block);
    try (OutputStream out = Files.newOutputStream(log)) {
      for (long written = 0; written < size; written += block.length) {
        out.write(block, 0, (int) Math.min(block.length, size - written));
      }
    }
  }

  /** Waits until the registry node {@code path} exists (a streamer published the build), at most {@link #NODE_TIMEOUT}. */
  static void awaitNode(Registry registry, String path) {
    Await.until("build node " + path, NODE_TIMEOUT, () -> registry.curator().checkExists().forPath(path) != null);
  }

  /** {@link #awaitNode} for an unzoned build's request node. */
  static void awaitUnzonedBuild(Registry registry, String uuid) {
    awaitNode(registry, registry.path("executor", "unzoned", "requests", uuid));
  }
}
