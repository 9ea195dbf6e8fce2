package org.fingerpost.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.curator.test.TestingServer;

/**
 * The benchmarks' ZooKeeper: Curator's in-process {@link TestingServer} on a free loopback port, data
 * in {@code dir}. The registry only resolves builds here; no benchmark measures ZooKeeper itself.
 */
final class LocalZooKeeper implements AutoCloseable {
  private final TestingServer server;

  private LocalZooKeeper(TestingServer server) {
    this.server = server;
  }

  /** Starts a server with its data in {@code dir} on {@code port} (0: a free one). */
  static LocalZooKeeper start(Path dir, int port) throws Exception {
    Files.createDirectories(dir);
    return new LocalZooKeeper(new TestingServer(port == 0 ? -1 : port, dir.toFile(), true));
  }

  String connectString() {
    return server.getConnectString();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
