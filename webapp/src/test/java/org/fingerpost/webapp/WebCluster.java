package org.fingerpost.webapp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.curator.test.TestingServer;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streamer.StreamerSettings;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;

/**
 * One zone with a web node, for real: an in-process ZooKeeper, a streamer over a job directory
 * (tenant {@value #TENANT}) and the web tier on embedded Jetty, all on loopback ports chosen by the OS.
 */
final class WebCluster implements AutoCloseable {
  static final String TENANT = "tenant-one";

  final TestingServer zk;
  final Registry registry;
  final Path jobDir;
  final Streamer streamer;
  final Transports transports;
  final WebServices services;
  WebServer web;
  private WebServices restarted;
  private final org.fingerpost.webapp.auth.AuthSettings auth;

  WebCluster(Path jobDir, Consumer<WebSettings.Builder> settings) throws Exception {
    this(jobDir, settings, org.fingerpost.webapp.auth.AuthSettings.defaults());
  }

  /** With read protection {@code auth}. */
  WebCluster(Path jobDir, Consumer<WebSettings.Builder> settings, org.fingerpost.webapp.auth.AuthSettings auth)
      throws Exception {
    this(jobDir, settings, auth, org.fingerpost.webapp.webhooks.WebhookConnections.none());
  }

  /** With read protection {@code auth} and webhook connections. */
  WebCluster(Path jobDir, Consumer<WebSettings.Builder> settings, org.fingerpost.webapp.auth.AuthSettings auth,
      org.fingerpost.webapp.webhooks.WebhookConnections webhooks) throws Exception {
    this.jobDir = jobDir;
    this.auth = auth;
    zk = new TestingServer(true);
    registry = Registry.connect(RegistrySettings.builder(zk.getConnectString())
        .sessionTimeout(Duration.ofSeconds(10)).connectionTimeout(Duration.ofSeconds(5)).build());
    streamer = new Streamer(StreamerSettings.builder()
        .listenAddress("127.0.0.1").port(0).hostname("127.0.0.1")
        .jobDir(jobDir).tenant(TENANT).build(), registry);
    streamer.start();
    transports = Transports.load(WebCluster.class.getClassLoader(), null, TransportSettings.EMPTY);
    WebSettings.Builder b = WebSettings.builder().port(0);
    settings.accept(b);
    services = new WebServices(b.build(), registry, transports, auth, webhooks);
    web = new WebServer(services);
    try {
      web.start();
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  /** Stops the web server (dropping every websocket) and starts a new one on the same port. */
  void restartWeb() throws Exception {
    int port = web.port();
    web.close();
    restarted = new WebServices(WebSettings.builder().port(port).build(), registry, transports, auth);
    web = new WebServer(restarted);
    web.start();
  }

  static WebCluster start(Path jobDir) throws Exception {
    return new WebCluster(jobDir, b -> { });
  }

  static String newBuildId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  URI http(String path) {
    return URI.create("http://127.0.0.1:" + web.port() + path);
  }

  URI consoleStream(String tenant) {
    return URI.create("ws://127.0.0.1:" + web.port() + "/api/tenant/" + tenant + "/console-stream");
  }

  Path logFile(String uuid) {
    return jobDir.resolve(uuid).resolve("work/logs/job-output.txt");
  }

  /** Writes a build's log as an executor does, and waits until the streamer published the build. */
  Path startBuild(String uuid, byte[] content) throws Exception {
    Path log = logFile(uuid);
    Files.createDirectories(log.getParent());
    Files.write(log, content);
    String node = "/zuul/executor/unzoned/requests/" + uuid;
    Await.until("build node " + node, () -> exists(node));
    return log;
  }

  static void append(Path log, byte[] bytes) throws IOException {
    try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
      out.write(bytes);
    }
  }

  /** The executor cleans the job directory: the stream ends. */
  void endBuild(String uuid) throws IOException {
    try (Stream<Path> paths = Files.walk(jobDir.resolve(uuid))) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  boolean exists(String path) {
    try {
      return registry.curator().checkExists().forPath(path) != null;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    web.close();
    services.close();
    if (restarted != null) {
      restarted.close();
    }
    transports.close();
    streamer.close();
    registry.close();
    zk.close();
  }
}
