package org.fingerpost.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streamer.StreamerSettings;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;

/**
 * One zone, for real: an in-process ZooKeeper server, a registry client, a streamer over a job
 * directory and a gateway, all on loopback ports chosen by the OS.
 */
final class TestCluster implements AutoCloseable {
  /** Short, so that session-expiry tests run fast. */
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
  /** Short, so that the request-deadline test runs fast; production uses 10 s. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

  final TestingServer zk;
  final Registry registry;
  final Path jobDir;
  final Streamer streamer;
  final Transports transports;
  final Gateway gateway;

  private TestCluster(Path jobDir, boolean publishBuilds, Path pluginsDir) throws Exception {
    this.jobDir = jobDir;
    zk = new TestingServer(true);
    registry = Registry.connect(RegistrySettings.builder(zk.getConnectString())
        .sessionTimeout(SESSION_TIMEOUT).connectionTimeout(Duration.ofSeconds(5)).build());
    streamer = new Streamer(StreamerSettings.builder()
        .listenAddress("127.0.0.1").port(0).hostname("127.0.0.1")
        .jobDir(jobDir).tenant("tenant-one").publishBuilds(publishBuilds).build(), registry);
    streamer.start();
    transports = Transports.load(TestCluster.class.getClassLoader(), pluginsDir, TransportSettings.EMPTY);
    gateway = new Gateway(GatewaySettings.builder()
        .listenAddress("127.0.0.1").port(0).hostname("127.0.0.1").requestTimeout(REQUEST_TIMEOUT).build(),
        registry, transports);
    gateway.start();
  }

  static TestCluster start(Path jobDir) throws Exception {
    return new TestCluster(jobDir, true, null);
  }

  static TestCluster start(Path jobDir, boolean publishBuilds, Path pluginsDir) throws Exception {
    return new TestCluster(jobDir, publishBuilds, pluginsDir);
  }

  static String newBuildId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  CuratorFramework curator() {
    return registry.curator();
  }

  Path logFile(String uuid) {
    return jobDir.resolve(uuid).resolve("work/logs/job-output.txt");
  }

  /** Writes a build's log the way an executor does, and waits until the streamer published it. */
  Path startBuild(String uuid, byte[] content) throws Exception {
    Path log = logFile(uuid);
    Files.createDirectories(log.getParent());
    Files.write(log, content);
    String node = "/zuul/executor/unzoned/requests/" + uuid;
    Await.until("build node " + node, () -> exists(node));
    return log;
  }

  /** Writes a build node by hand, as a Zuul executor does. */
  void writeBuildNode(String path, String json) throws Exception {
    curator().create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT)
        .forPath(path, json.getBytes(StandardCharsets.UTF_8));
  }

  boolean exists(String path) {
    try {
      return curator().checkExists().forPath(path) != null;
    } catch (Exception e) {
      return false;
    }
  }

  int childCount(String path) {
    try {
      return curator().checkExists().forPath(path) == null ? 0 : curator().getChildren().forPath(path).size();
    } catch (Exception e) {
      return -1;
    }
  }

  @Override
  public void close() throws IOException {
    gateway.close();
    transports.close();
    streamer.close();
    registry.close();
    zk.close();
  }
}
