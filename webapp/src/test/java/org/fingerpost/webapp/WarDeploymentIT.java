package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.fingerpost.testing.Await;
import org.fingerpost.webapp.auth.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAR, unchanged, in a real Tomcat 10.1 and a stock Jetty 12 (ee10), the official distributions
 * unpacked by the build: configured by an environment variable, it streams a build through its websocket.
 */
class WarDeploymentIT {
  static final Duration DEPLOY_TIMEOUT = Duration.ofSeconds(90);
  /** Lines of the container's output printed when the test fails. */
  static final int CONTAINER_LOG_LINES_ON_FAILURE = 300;

  @TempDir
  Path dir;

  @Test
  void onTomcat() throws Exception {
    Path home = Path.of(System.getProperty("tomcat.home"));
    assertTrue(Files.isDirectory(home), "Tomcat not unpacked: " + home);
    deployAndStream((port, base) -> {
      Path catalinaBase = catalinaBase(home, port);
      Files.copy(war(), catalinaBase.resolve("webapps/fingerpost.war"), StandardCopyOption.REPLACE_EXISTING);
      return new ProcessBuilder(java(),
          "-cp", home.resolve("bin/bootstrap.jar") + ":" + home.resolve("bin/tomcat-juli.jar"),
          "-Dcatalina.home=" + home, "-Dcatalina.base=" + catalinaBase,
          "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
          "-Djava.util.logging.config.file=" + catalinaBase.resolve("conf/logging.properties"),
          "org.apache.catalina.startup.Bootstrap", "start");
    });
  }

  @Test
  void onStockJetty() throws Exception {
    Path home = Path.of(System.getProperty("jetty.home"));
    assertTrue(Files.isDirectory(home), "jetty-home not unpacked: " + home);
    deployAndStream((port, base) -> {
      Path jettyBase = Files.createDirectories(base.resolve("jetty-base"));
      // A stock jetty-home with the standard ee10 deployer and Jakarta WebSocket modules, nothing else.
      Process setup = new ProcessBuilder(java(), "-jar", home.resolve("start.jar").toString(),
          "--add-modules=http,ee10-deploy,ee10-websocket-jakarta")
          .directory(jettyBase.toFile()).redirectErrorStream(true)
          .redirectOutput(base.resolve("jetty-setup.log").toFile()).start();
      assertTrue(setup.waitFor(60, TimeUnit.SECONDS) && setup.exitValue() == 0, "jetty-base setup failed");
      Files.copy(war(), jettyBase.resolve("webapps/fingerpost.war"), StandardCopyOption.REPLACE_EXISTING);
      return new ProcessBuilder(java(), "-jar", home.resolve("start.jar").toString(),
          "jetty.http.port=" + port, "jetty.http.host=127.0.0.1").directory(jettyBase.toFile());
    });
  }

  /** Starts a container for the WAR on a free port. */
  interface Container {
    ProcessBuilder launch(int port, Path dir) throws Exception;
  }

  static Path war() {
    Path war = Path.of(System.getProperty("fingerpost.war"));
    assertTrue(Files.isRegularFile(war), "WAR not built: " + war);
    return war;
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Deploys the WAR, configured by an environment variable only, and streams a build through it. */
  private void deployAndStream(Container container) throws Exception {
    Path jobDir = Files.createDirectories(dir.resolve("jobs"));
    // The cluster's own web node is not used here: only its ZooKeeper and streamer.
    try (WebCluster cluster = WebCluster.start(jobDir); RouteBackend backend = new RouteBackend()) {
      int port = freePort();
      Path containerLog = dir.resolve("container.log");
      ProcessBuilder launch = container.launch(port, dir)
          .redirectErrorStream(true).redirectOutput(containerLog.toFile());
      // The WAR reads its configuration from the environment here (WarBootstrap): nothing in it changes.
      launch.environment().put(org.fingerpost.config.Keys.ZK_HOSTS.envName(), cluster.zk.getConnectString());
      // Read protection, from the environment too (docs/web-tier.md "Protecting logs").
      launch.environment().put("FINGERPOST_AUTH_NAMES", "corp");
      launch.environment().put("FINGERPOST_AUTH_CORP_DRIVER", "HS256");
      launch.environment().put("FINGERPOST_AUTH_CORP_SECRET", ProtectedConsoleStreamTest.HS_SECRET);
      launch.environment().put("FINGERPOST_AUTH_CORP_ISSUER_ID", ProtectedConsoleStreamTest.HS_ISS);
      launch.environment().put("FINGERPOST_AUTH_CORP_CLIENT_ID", "zuul");
      launch.environment().put("FINGERPOST_AUTH_CORP_REALM", "corp");
      // Webhook connections are named keys: system properties (here through the JVM's own variable).
      launch.environment().put("JAVA_TOOL_OPTIONS", "-D" + "fingerpost.connection." + "gitlab.driver=gitlab -D"
          + "fingerpost.connection." + "gitlab.webhook_token=war-token");
      // A route to a real backend: streamed responses and websockets through the container (issue 11).
      launch.environment().put("FINGERPOST_WEB_ROUTES", "/backend/=" + backend.uri());
      Process server = launch.start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        String root = "http://127.0.0.1:" + port + "/fingerpost";
        Await.until("WAR deployed and ready (log: " + containerLog + ")", DEPLOY_TIMEOUT,
            () -> status(http, root + "/health/ready") == 200);

        String uuid = WebCluster.newBuildId();
        String log = ConsoleStreamTest.randomLog(3, 2_000);
        Path file = cluster.startBuild(uuid, log.getBytes(StandardCharsets.UTF_8));
        awaitKnown(http, root, uuid);
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(root + "/t/" + WebCluster.TENANT
            + "/build/" + uuid)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("/fingerpost/static/app.js"), "page under the context path: " + page.body());
        HttpResponse<String> route = http.send(HttpRequest.newBuilder(URI.create(root + "/api/tenant/"
            + WebCluster.TENANT + "/build/" + uuid + "/stream")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(route.body().contains("\"route\":\"direct\""), route.body());
        HttpResponse<String> hook = http.send(HttpRequest.newBuilder(URI.create(root + "/api/connection/gitlab/payload"))
            .header("X-Gitlab-Token", "war-token").POST(HttpRequest.BodyPublishers.ofString("{\"object_kind\": \"push\"}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, hook.statusCode(), hook.body());
        assertEquals(1, cluster.registry.curator().getChildren()
            .forPath("/zuul/events/connection/gitlab/events/queue").size(), "webhook stored through the WAR");

        routeThroughTheContainer(http, root, backend);
        WebSocketClient client = WsClient.newClient();
        try {
          URI ws = URI.create("ws://127.0.0.1:" + port + "/fingerpost/api/tenant/" + WebCluster.TENANT
              + "/console-stream");
          WsClient viewer = WsClient.open(client, ws, uuid);
          Await.until("log through the container", () -> viewer.text.length() >= log.length());
          WebCluster.append(file, "appended \u00e9\n".getBytes(StandardCharsets.UTF_8));
          Await.until("appended line", () -> viewer.text.toString().endsWith("appended \u00e9\n"));
          cluster.endBuild(uuid);
          assertEquals(new WsClient.Close(1000, "No more data"), viewer.awaitClose());
          assertEquals(log + "appended \u00e9\n", viewer.text.toString());

          WsClient unknown = WsClient.open(client, ws, WebCluster.newBuildId());
          assertEquals(new WsClient.Close(4011, "Build not found"), unknown.awaitClose());

          // Zuul protects the tenant: the WAR follows its rules in ZooKeeper.
          new ZuulConfWriter(cluster.registry.curator(), 100).write(ProtectedConsoleStreamTest.abide(true));
          Await.until("tenant read-protected in the WAR", () -> {
            try {
              return http.send(HttpRequest.newBuilder(URI.create(root + "/api/tenant/" + WebCluster.TENANT + "/info"))
                  .build(), HttpResponse.BodyHandlers.ofString()).body().contains("\"read_protected\":true");
            } catch (Exception e) {
              return false;
            }
          });
          String secret = WebCluster.newBuildId();
          cluster.startBuild(secret, "protected in the WAR\n".getBytes(StandardCharsets.UTF_8));
          awaitKnown(http, root, secret);
          WsClient anonymous = WsClient.open(client, ws, secret);
          assertEquals(new WsClient.Close(4000, "MissingAuthError"), anonymous.awaitClose());
          String token = TestTokens.hs256(ProtectedConsoleStreamTest.HS_SECRET, TestTokens.claims(
              ProtectedConsoleStreamTest.HS_ISS, "zuul", "alice", java.util.Map.of("groups",
                  List.of(WebCluster.TENANT + "-readers"))).build());
          WsClient reader = WsClient.connect(client, ws, "Bearer " + token); // the upgrade's header, through the container
          reader.send("{\"uuid\": \"" + secret + "\", \"logfile\": \"console.log\"}");
          Await.until("protected log with a token", () -> reader.text.toString().equals("protected in the WAR\n"));
          reader.close();
          HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(root + "/api/tenant/"
              + WebCluster.TENANT + "/build/" + secret + "/stream")).build(), HttpResponse.BodyHandlers.ofString());
          assertEquals(401, refused.statusCode());
          assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").contains("BearerTokenRequiredError"));
        } finally {
          client.stop();
        }
        String output = Files.readString(containerLog, StandardCharsets.UTF_8);
        assertFalse(output.contains(" DEBUG "), "the WAR logs at INFO by default (its logback.xml)");
      } catch (AssertionError | Exception e) {
        printTail(containerLog, e);
        throw e;
      } finally {
        server.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
          server.destroyForcibly();
        }
      }
    }
  }

  /**
   * Prints the last lines of the container's output, which goes with the test's temporary directory:
   * the container's own account of {@code failure} lands in the report. A log that cannot be read is
   * added to {@code failure}, never put in its place.
   */
  private static void printTail(Path containerLog, Throwable failure) {
    try {
      List<String> lines = Files.readAllLines(containerLog, StandardCharsets.ISO_8859_1); // any bytes
      System.err.println("=== last lines of " + containerLog);
      lines.subList(Math.max(0, lines.size() - CONTAINER_LOG_LINES_ON_FAILURE), lines.size())
          .forEach(System.err::println);
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Waits until the WAR in the container knows {@code uuid}. It answers from its watched copy of the
   * request queues, which sees a node created a moment ago a moment late (docs/operations.md): the
   * test waits for that copy, as a user clicking a build that has just been requested would.
   */
  static void awaitKnown(HttpClient http, String root, String uuid) {
    HttpRequest route = HttpRequest.newBuilder(URI.create(root + "/api/tenant/" + WebCluster.TENANT + "/build/"
        + uuid + "/stream")).build();
    Await.until("the WAR's copy of the queues has build " + uuid,
        () -> !http.send(route, HttpResponse.BodyHandlers.ofString()).body().contains("Build not found"));
  }

  /** A streamed response and a websocket through the WAR's route, in the container. */
  private static void routeThroughTheContainer(HttpClient http, String root, RouteBackend backend) throws Exception {
    HttpResponse<java.io.InputStream> slow = http.send(HttpRequest.newBuilder(URI.create(root + "/backend/slow")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(slow.body(), StandardCharsets.UTF_8));
    assertEquals("first", lines.readLine(), "streamed while the backend holds the rest");
    backend.release.countDown();
    assertEquals("second", lines.readLine());
    WebSocketClient client = new WebSocketClient();
    client.setMaxTextMessageSize(4L * 1024 * 1024);
    client.start();
    try {
      WebSocketRouteTest.Peer peer = new WebSocketRouteTest.Peer();
      client.connect(peer, URI.create(root.replace("http:", "ws:") + "/backend/ws/echo")).get(20, TimeUnit.SECONDS);
      peer.send("through the container");
      assertEquals("through the container", peer.next(20));
      String large = "x".repeat(1024 * 1024);
      peer.send(large);
      assertEquals(large, peer.next(30));
      peer.send("close:4100:done");
      assertEquals(4100, peer.closed.get(20, TimeUnit.SECONDS).getCloseCode().getCode());
    } finally {
      client.stop();
    }
  }

  private Path catalinaBase(Path home, int port) throws IOException {
    return catalinaBase(home, port, dir);
  }

  /** A CATALINA_BASE of our own in {@code dir}: the distribution's conf with the HTTP port moved and shutdown port off. */
  static Path catalinaBase(Path home, int port, Path dir) throws IOException {
    Path base = dir.resolve("catalina-base");
    for (String d : List.of("conf", "logs", "temp", "webapps", "work")) {
      Files.createDirectories(base.resolve(d));
    }
    try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
      for (Path p : (Iterable<Path>) conf::iterator) {
        if (Files.isRegularFile(p)) {
          Files.copy(p, base.resolve("conf").resolve(p.getFileName()));
        }
      }
    }
    Path serverXml = base.resolve("conf/server.xml");
    String xml = Files.readString(serverXml)
        .replace("port=\"8080\"", "port=\"" + port + "\" address=\"127.0.0.1\"")
        .replace("port=\"8005\"", "port=\"-1\"");
    assertTrue(xml.contains("port=\"" + port + "\""), "server.xml connector not found");
    Files.writeString(serverXml, xml);
    return base;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static int status(HttpClient http, String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
