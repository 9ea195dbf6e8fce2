package org.fingerpost.webapp;

import org.fingerpost.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAR reaches a TLS gateway: deployed in a real Tomcat 10.1 (as {@link WarDeploymentIT}), it gets
 * the same TLS keys as {@code fingerpost web} and opens another zone's build through that zone's
 * mutual-TLS gateway.
 */
class WarTlsDeploymentIT {
  @TempDir
  Path dir;

  /**
   * The WAR in zone {@code a}, configured by environment variables only, streams a build of zone
   * {@code b} through that zone's gateway, whose port speaks mutual TLS: the WAR presents the client
   * certificate of its {@code fingergw.tls_*} keys, as {@code fingerpost web} does (before, the WAR
   * could not set them and could not reach a TLS gateway).
   */
  @Test
  void onTomcatThroughAMutualTlsGateway() throws Exception {
    Path home = Path.of(System.getProperty("tomcat.home"));
    assertTrue(Files.isDirectory(home), "Tomcat not unpacked: " + home);
    org.fingerpost.testing.TestPki pki = new org.fingerpost.testing.TestPki(
        Files.createDirectories(dir.resolve("pki")));
    org.fingerpost.testing.TestPki.Cert ca = pki.ca("ca");
    org.fingerpost.testing.TestPki.Cert gatewayCert = ca.issue("gateway", "localhost");
    org.fingerpost.testing.TestPki.Cert webCert = ca.issue("web", "web.zone-a.example");
    Path jobDir = Files.createDirectories(dir.resolve("jobs"));
    try (ZoneB zoneB = new ZoneB(jobDir, gatewayCert, ca)) {
      int port = WarDeploymentIT.freePort();
      Path catalinaBase = WarDeploymentIT.catalinaBase(home, port, dir);
      Files.copy(WarDeploymentIT.war(), catalinaBase.resolve("webapps/fingerpost.war"), StandardCopyOption.REPLACE_EXISTING);
      ProcessBuilder launch = new ProcessBuilder(WarDeploymentIT.java(),
          "-cp", home.resolve("bin/bootstrap.jar") + ":" + home.resolve("bin/tomcat-juli.jar"),
          "-Dcatalina.home=" + home, "-Dcatalina.base=" + catalinaBase,
          "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
          "-Djava.util.logging.config.file=" + catalinaBase.resolve("conf/logging.properties"),
          "org.apache.catalina.startup.Bootstrap", "start")
          .redirectErrorStream(true).redirectOutput(dir.resolve("container.log").toFile());
      launch.environment().put("FINGERPOST_ZOOKEEPER_HOSTS", zoneB.zk.getConnectString());
      launch.environment().put("FINGERPOST_WEB_ZONE", "a");
      launch.environment().put("FINGERPOST_FINGERGW_TLS_CERT", webCert.certFile.toString());
      launch.environment().put("FINGERPOST_FINGERGW_TLS_KEY", webCert.keyFile.toString());
      launch.environment().put("FINGERPOST_FINGERGW_TLS_CA", ca.certFile.toString());
      Process server = launch.start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        String root = "http://127.0.0.1:" + port + "/fingerpost";
        Await.until("WAR deployed and ready (log: " + dir.resolve("container.log") + ")", WarDeploymentIT.DEPLOY_TIMEOUT,
            () -> WarDeploymentIT.status(http, root + "/health/ready") == 200);
        String uuid = WebCluster.newBuildId();
        String log = ConsoleStreamTest.randomLog(3, 2_000);
        zoneB.startBuild(uuid, log.getBytes(StandardCharsets.UTF_8));
        WarDeploymentIT.awaitKnown(http, root, uuid);
        HttpResponse<String> route = http.send(HttpRequest.newBuilder(URI.create(root + "/api/tenant/"
            + WebCluster.TENANT + "/build/" + uuid + "/stream")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(route.body().contains("\"route\":\"gateway\"") && route.body().contains("\"tls\":true"),
            route.body());
        WebSocketClient client = WsClient.newClient();
        try {
          WsClient viewer = WsClient.open(client, URI.create("ws://127.0.0.1:" + port + "/fingerpost/api/tenant/"
              + WebCluster.TENANT + "/console-stream"), uuid);
          Await.until("log through the TLS gateway", () -> viewer.text.length() >= log.length());
          zoneB.endBuild(uuid);
          assertEquals(new WsClient.Close(1000, "No more data"), viewer.awaitClose());
          assertEquals(log, viewer.text.toString());
        } finally {
          client.stop();
        }
      } finally {
        server.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
          server.destroyForcibly();
        }
      }
    }
  }

  /** Zone {@code b}: ZooKeeper, a streamer and a gateway whose port requires client certificates of {@code ca}. */
  private static final class ZoneB implements AutoCloseable {
    final org.apache.curator.test.TestingServer zk = new org.apache.curator.test.TestingServer(true);
    final org.fingerpost.registry.Registry registry = org.fingerpost.registry.Registry.connect(
        org.fingerpost.registry.RegistrySettings.builder(zk.getConnectString()).build());
    final List<AutoCloseable> resources = new java.util.ArrayList<>();
    final Path jobDir;

    ZoneB(Path jobDir, org.fingerpost.testing.TestPki.Cert cert, org.fingerpost.testing.TestPki.Cert ca)
        throws Exception {
      this.jobDir = jobDir;
      org.fingerpost.streamer.Streamer streamer = add(new org.fingerpost.streamer.Streamer(
          org.fingerpost.streamer.StreamerSettings.builder().listenAddress("127.0.0.1").port(0)
              .hostname("127.0.0.1").zone("b").jobDir(jobDir).tenant(WebCluster.TENANT).build(), registry));
      streamer.start();
      // The TLS of the gateway's port as the daemons find it: through the SPI, not by class name.
      org.fingerpost.transport.ListenerTls tls = org.fingerpost.transport.ListenerTls
          .find(WarTlsDeploymentIT.class.getClassLoader()).orElseThrow();
      org.eclipse.jetty.util.ssl.SslContextFactory.Server listener = tls.listener(
          org.eclipse.jetty.util.ssl.SslContextFactory.Server.class, new org.fingerpost.transport.TransportSettings(
              java.util.Map.of("tls_cert", cert.certFile.toString(), "tls_key", cert.keyFile.toString(),
                  "tls_ca", ca.certFile.toString())), resources::add);
      org.fingerpost.transport.Transports transports = add(org.fingerpost.transport.Transports.load(
          WarTlsDeploymentIT.class.getClassLoader(), null, org.fingerpost.transport.TransportSettings.EMPTY));
      org.fingerpost.gateway.Gateway gateway = add(new org.fingerpost.gateway.Gateway(
          org.fingerpost.gateway.GatewaySettings.builder().listenAddress("127.0.0.1").port(0).hostname("localhost")
              .zone("b").sslContextFactory(listener).build(), registry, transports));
      gateway.start();
    }

    private <T extends AutoCloseable> T add(T resource) {
      resources.add(resource);
      return resource;
    }

    void startBuild(String uuid, byte[] content) throws Exception {
      Path log = jobDir.resolve(uuid).resolve("work/logs/job-output.txt");
      Files.createDirectories(log.getParent());
      Files.write(log, content);
      String node = "/zuul/executor/zones/b/requests/" + uuid;
      Await.until("build node " + node, () -> {
        try {
          return registry.curator().checkExists().forPath(node) != null;
        } catch (Exception e) {
          return false;
        }
      });
    }

    void endBuild(String uuid) throws IOException {
      try (Stream<Path> paths = Files.walk(jobDir.resolve(uuid))) {
        for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
    }

    @Override
    public void close() throws Exception {
      for (int i = resources.size() - 1; i >= 0; i--) {
        resources.get(i).close();
      }
      registry.close();
      zk.close();
    }
  }
}
