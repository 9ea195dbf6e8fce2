package org.fingerpost.gateway;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.fingerpost.registry.Registry;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.testing.cluster.TestCluster;
import org.fingerpost.transport.Transports;

/**
 * The shared {@link TestCluster} with gateways as its front. Two forms: {@link #start} is one zone
 * (a registry session, a streamer over {@code jobDir} and a gateway on that one session, the
 * transports of the classpath and a plugins directory); {@link #zones} starts empty and the test adds
 * streamers and gateways per zone, each with its own session.
 */
final class GatewayCluster extends TestCluster {
  /** Short, so that session-expiry tests run fast. */
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
  /** Short, so that the request-deadline test runs fast; production uses 10 s. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

  /** The one-zone form's parts; null in the zones form. */
  final Registry registry;
  final Path jobDir;
  final Streamer streamer;
  final Transports transports;
  final Gateway gateway;
  private final Path dir;

  private GatewayCluster(Path dir, Path jobDir, boolean publishBuilds, Path pluginsDir) throws Exception {
    super(SESSION_TIMEOUT);
    this.dir = dir;
    this.jobDir = jobDir;
    if (jobDir == null) {
      registry = null;
      streamer = null;
      transports = null;
      gateway = null;
    } else {
      registry = registry();
      streamer = streamer(registry, jobDir, null, publishBuilds).component;
      transports = transports(pluginsDir);
      gateway = startGateway(registry, transports, null);
    }
  }

  static GatewayCluster start(Path jobDir) throws Exception {
    return new GatewayCluster(null, jobDir, true, null);
  }

  static GatewayCluster start(Path jobDir, boolean publishBuilds, Path pluginsDir) throws Exception {
    return new GatewayCluster(null, jobDir, publishBuilds, pluginsDir);
  }

  /** No component yet: job directories of added streamers go under {@code dir}. */
  static GatewayCluster zones(Path dir) throws Exception {
    return new GatewayCluster(dir, null, true, null);
  }

  private Gateway startGateway(Registry session, Transports with, String zone) throws Exception {
    Gateway g = new Gateway(GatewaySettings.builder().listenAddress("127.0.0.1").port(0).hostname("127.0.0.1")
        .zone(zone).requestTimeout(REQUEST_TIMEOUT).build(), session, with);
    g.start();
    watchedBy(g.builds());
    return own(g);
  }

  /** A running gateway of {@code zone} (null: unzoned) with its own session and transports. */
  Node<Gateway> gateway(String zone) throws Exception {
    Registry session = registry();
    return new Node<>(startGateway(session, transports(null), zone), session, null);
  }

  /** A streamer of {@code zone} (null: unzoned) with its own session, over a fresh job directory. */
  Node<Streamer> streamer(String zone) throws Exception {
    return streamer(dir, zone);
  }

  /** The one-zone form's session. */
  CuratorFramework curator() {
    return registry.curator();
  }

  /** One-zone form: the session gateway and streamer share (as the tests' checks always did); else its own. */
  @Override
  public synchronized CuratorFramework zkClient() {
    return registry != null ? registry.curator() : super.zkClient();
  }

  Path logFile(String uuid) {
    return logFile(jobDir, uuid);
  }

  /** One-zone form: writes a build's log as an executor does and waits until the streamer published it. */
  Path startBuild(String uuid, byte[] content) throws Exception {
    return startBuildSeen(new Node<>(streamer, registry, jobDir), uuid, content);
  }
}
