package org.fingerpost.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.curator.test.TestingServer;
import org.fingerpost.registry.BuildDirectory;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streamer.StreamerSettings;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;

/**
 * Several zones for real: one in-process ZooKeeper server, and streamers and gateways each with their
 * own registry session and transports (finger and relay from the classpath, as in the fat jar), all
 * on loopback ports chosen by the OS.
 */
final class ZoneCluster implements AutoCloseable {
  final TestingServer zk;
  private final Path dir;
  private final Deque<AutoCloseable> parts = new ArrayDeque<>();

  ZoneCluster(Path dir) throws Exception {
    this.dir = dir;
    zk = new TestingServer(true);
  }

  private Registry observer;

  /** A client of its own for the test's reads and writes. */
  synchronized org.apache.curator.framework.CuratorFramework zkClient() {
    if (observer == null) {
      observer = registry();
    }
    return observer.curator();
  }

  Registry registry() {
    Registry r = Registry.connect(RegistrySettings.builder(zk.getConnectString())
        .sessionTimeout(TestCluster.SESSION_TIMEOUT).connectionTimeout(Duration.ofSeconds(5)).build());
    parts.push(r);
    return r;
  }

  /** A streamer of {@code zone} (null: unzoned) over a fresh job directory. */
  Node<Streamer> streamer(String zone) throws Exception {
    Registry registry = registry();
    Path jobDir = Files.createTempDirectory(dir, "jobs-" + zone + "-");
    Streamer s = new Streamer(StreamerSettings.builder().listenAddress("127.0.0.1").port(0).hostname("127.0.0.1")
        .jobDir(jobDir).zone(zone).tenant("tenant-one").build(), registry);
    s.start();
    parts.push(s);
    return new Node<>(s, registry, jobDir);
  }

  /** A running gateway of {@code zone} (null: unzoned). */
  Node<Gateway> gateway(String zone) throws Exception {
    Registry registry = registry();
    Transports transports = Transports.load(ZoneCluster.class.getClassLoader(), null, TransportSettings.EMPTY);
    parts.push(transports);
    Gateway g = new Gateway(GatewaySettings.builder().listenAddress("127.0.0.1").port(0).hostname("127.0.0.1")
        .zone(zone).requestTimeout(TestCluster.REQUEST_TIMEOUT).build(), registry, transports);
    g.start();
    parts.push(g);
    return new Node<>(g, registry, null);
  }

  /** Writes a build's log the way an executor does and waits until its streamer published it. */
  static Path startBuild(Node<Streamer> streamer, String uuid, byte[] content) throws Exception {
    Path log = streamer.jobDir.resolve(uuid).resolve("work/logs/job-output.txt");
    Files.createDirectories(log.getParent());
    Files.write(log, content);
    String path = BuildDirectory.requestPath(streamer.registry, streamer.component.config().zone(), uuid);
    Await.until("build node " + path, () -> {
      try {
        return streamer.registry.curator().checkExists().forPath(path) != null;
      } catch (Exception e) {
        return false;
      }
    });
    return log;
  }

  @Override
  public void close() throws IOException {
    while (!parts.isEmpty()) {
      try {
        parts.pop().close();
      } catch (Exception e) {
        // keep closing the rest
      }
    }
    zk.close();
  }

  /** A started component with its own registry session. */
  static final class Node<T> {
    final T component;
    final Registry registry;
    final Path jobDir;

    Node(T component, Registry registry, Path jobDir) {
      this.component = component;
      this.registry = registry;
      this.jobDir = jobDir;
    }
  }
}
