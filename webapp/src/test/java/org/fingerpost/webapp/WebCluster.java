package org.fingerpost.webapp;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.fingerpost.registry.Registry;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.testing.cluster.TestCluster;
import org.fingerpost.transport.Transports;
import org.fingerpost.webapp.auth.AuthSettings;

/**
 * The shared {@link TestCluster} with a web node as its front: one zone, a streamer over {@code jobDir}
 * (tenant {@value #TENANT}) and the web tier on embedded Jetty, on one registry session.
 */
final class WebCluster extends TestCluster {
  /** Session timeout of the web node's registry session. */
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

  final Registry registry;
  final Path jobDir;
  final Streamer streamer;
  final Transports transports;
  final WebServices services;
  WebServer web;
  private WebServices restarted;
  private final AuthSettings auth;

  WebCluster(Path jobDir, Consumer<WebSettings.Builder> settings) throws Exception {
    this(jobDir, settings, AuthSettings.defaults());
  }

  /** With read protection {@code auth}. */
  WebCluster(Path jobDir, Consumer<WebSettings.Builder> settings, AuthSettings auth) throws Exception {
    this(jobDir, settings, auth, org.fingerpost.webapp.webhooks.WebhookConnections.none());
  }

  /** With read protection {@code auth} and webhook connections. */
  WebCluster(Path jobDir, Consumer<WebSettings.Builder> settings, AuthSettings auth,
      org.fingerpost.webapp.webhooks.WebhookConnections webhooks) throws Exception {
    this(jobDir, settings, auth, webhooks, true, true);
  }

  /** With routes proxied on the servlet layer as in a WAR ({@code coreRoutes} false), or before it. */
  WebCluster(Path jobDir, Consumer<WebSettings.Builder> settings, boolean coreRoutes) throws Exception {
    this(jobDir, settings, AuthSettings.defaults(), org.fingerpost.webapp.webhooks.WebhookConnections.none(),
        coreRoutes, true);
  }

  private WebCluster(Path jobDir, Consumer<WebSettings.Builder> settings, AuthSettings auth,
      org.fingerpost.webapp.webhooks.WebhookConnections webhooks, boolean coreRoutes, boolean coreConsole)
      throws Exception {
    super(SESSION_TIMEOUT);
    this.jobDir = jobDir;
    this.auth = auth;
    registry = registry();
    streamer = streamer(registry, jobDir, null, true).component;
    transports = transports(null);
    WebSettings.Builder b = WebSettings.builder().port(0);
    settings.accept(b);
    services = new WebServices(b.build(), registry, transports, auth, webhooks);
    web = new WebServer(services, WebServer.Limits.DEFAULTS, coreRoutes, coreConsole);
    watchedBy(services.builds());
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
    watchedBy(restarted.builds());
    web.start();
  }

  static WebCluster start(Path jobDir) throws Exception {
    return new WebCluster(jobDir, b -> { });
  }

  /** With the console-stream websocket on the Jakarta endpoint a WAR uses, on the same Jetty. */
  static WebCluster startJakarta(Path jobDir, Consumer<WebSettings.Builder> settings) throws Exception {
    return startJakarta(jobDir, settings, AuthSettings.defaults());
  }

  /** With the Jakarta console-stream endpoint and read protection {@code auth}. */
  static WebCluster startJakarta(Path jobDir, Consumer<WebSettings.Builder> settings, AuthSettings auth)
      throws Exception {
    return new WebCluster(jobDir, settings, auth, org.fingerpost.webapp.webhooks.WebhookConnections.none(), true,
        false);
  }

  /** The session web node and streamer share: a node visible there is visible to the web node. */
  @Override
  public synchronized CuratorFramework zkClient() {
    return registry.curator();
  }

  URI http(String path) {
    return URI.create("http://127.0.0.1:" + web.port() + path);
  }

  URI consoleStream(String tenant) {
    return URI.create("ws://127.0.0.1:" + web.port() + "/api/tenant/" + tenant + "/console-stream");
  }

  Path logFile(String uuid) {
    return logFile(jobDir, uuid);
  }

  /** Writes a build's log as an executor does, and waits until the streamer published the build. */
  Path startBuild(String uuid, byte[] content) throws Exception {
    return startBuildSeen(new Node<>(streamer, registry, jobDir), uuid, content);
  }

  /** The executor cleans the job directory: the stream ends. */
  void endBuild(String uuid) throws IOException {
    endBuild(jobDir, uuid);
  }

  @Override
  public void close() throws IOException {
    // The front first (it holds the registry session and the transports), then the shared parts.
    web.close();
    services.close();
    if (restarted != null) {
      restarted.close();
    }
    super.close();
  }
}
