package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.fingerpost.registry.ComponentDirectory;
import org.fingerpost.registry.ComponentInfo;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streamer.StreamerSettings;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RawFingerClient;
import org.fingerpost.testing.RecordingSink;
import org.fingerpost.testing.TestPki;
import org.fingerpost.testing.cluster.TestCluster;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.TransportContext;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;
import org.fingerpost.transport.tls.TlsContexts;
import org.fingerpost.transport.tls.TlsSettings;
import org.fingerpost.transport.tls.TlsTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on every hop kind, with real components on loopback: client -> gateway, gateway ->
 * streamer, and gateway (zone A) -> gateway (zone B) -> streamer (zone B). The zone-B gateway
 * registers {@code use_ssl: true}, so the routing rule makes the relay hop TLS. Streams arrive
 * byte-identical to the file, as over plain finger.
 */
class GatewayTlsTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  TestCluster cluster;
  Registry registry;
  TestPki.Cert ca;
  TestPki.Cert node;
  TestPki.Cert user;
  Transports transports;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(Duration.ofSeconds(RegistrySettings.DEFAULT_SESSION_TIMEOUT_SECONDS));
    registry = cluster.registry();
    Path pkiDir = Files.createDirectories(dir.resolve("pki"));
    TestPki pki = new TestPki(pkiDir);
    ca = pki.ca("ca");
    // One certificate for every daemon: it serves "localhost" and is their client certificate too.
    node = ca.issue("node", "localhost");
    user = ca.issue("user", "user.example");
    // The daemons' outgoing hops: tls_* as packaging passes them from [fingergw].
    transports = cluster.transports(null, new TransportSettings(Map.of(
        TlsSettings.CERT_KEY, node.certFile.toString(), TlsSettings.KEY_KEY, node.keyFile.toString(),
        TlsSettings.CA_KEY, ca.certFile.toString())));
    assertTrue(transports.names().contains(TlsTransport.NAME), "loaded: " + transports.names());
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  TlsSettings serverTls() {
    return TlsSettings.builder().cert(node.certFile).key(node.keyFile).ca(ca.certFile).build();
  }

  Streamer streamer(String zone, Path jobDir) throws Exception {
    return streamer(zone, jobDir, true);
  }

  /** {@code tls} false: a plain finger port, as Zuul's own executor log streamer has. */
  Streamer streamer(String zone, Path jobDir, boolean tls) throws Exception {
    return cluster.streamer(registry, StreamerSettings.builder().listenAddress("127.0.0.1").port(0).hostname("localhost")
        .zone(zone).jobDir(jobDir).tenant("tenant").sslContextFactory(tls ? TlsContexts.server(serverTls()) : null)
        .build()).component;
  }

  Gateway gateway(String zone, boolean tlsListener) throws Exception {
    Gateway g = new Gateway(GatewaySettings.builder().listenAddress("127.0.0.1").port(0).hostname("localhost")
        .zone(zone).sslContextFactory(tlsListener ? TlsContexts.server(serverTls()) : null)
        .build(), registry, transports);
    g.start();
    cluster.watchedBy(g.builds());
    return cluster.own(g);
  }

  TlsTransport userClient() throws Exception {
    TlsTransport t = new TlsTransport();
    t.start(new TransportSettings(Map.of(TlsSettings.CERT_KEY, user.certFile.toString(),
        TlsSettings.KEY_KEY, user.keyFile.toString(), TlsSettings.CA_KEY, ca.certFile.toString())), TransportContext.NONE);
    return cluster.own(t);
  }

  static byte[] startBuild(Path jobDir, String uuid, int size) throws Exception {
    byte[] content = new byte[size];
    new Random(size).nextBytes(content);
    Path log = TestCluster.logFile(jobDir, uuid);
    Files.createDirectories(log.getParent());
    Files.write(log, content);
    return content;
  }

  void awaitBuildNode(String zone, String uuid) {
    String node = "/zuul/executor/zones/" + zone + "/requests/" + uuid;
    Await.until("build node " + node, () -> cluster.exists(node));
    cluster.awaitSeen(uuid);
  }

  static void removeBuild(Path jobDir, String uuid) throws Exception {
    TestCluster.endBuild(jobDir, uuid);
  }

  ComponentInfo registered(int publicPort) throws Exception {
    for (ComponentInfo c : new ComponentDirectory(registry).list(Gateway.COMPONENT_KIND)) {
      if (c.publicPort() != null && c.publicPort() == publicPort) {
        return c;
      }
    }
    throw new AssertionError("no fingergw registered with public_port " + publicPort);
  }

  static StreamTarget tlsTarget(String uuid, int port) {
    return StreamTarget.builder(uuid, "127.0.0.1", port).tls(true).serverName("localhost").build();
  }

  @Test
  void everyHopMutualTlsAcrossZonesIsByteIdentical() throws Exception {
    Path jobsB = Files.createDirectories(dir.resolve("jobs-b"));
    streamer("zone-b", jobsB);
    Gateway gatewayB = gateway("zone-b", true);
    Gateway gatewayA = gateway("zone-a", true);
    assertTrue(registered(gatewayA.publicPort()).useSsl(), "a TLS gateway registers use_ssl: true");
    assertTrue(registered(gatewayB.publicPort()).useSsl());

    String uuid = "c0ffee" + Long.toHexString(System.nanoTime());
    byte[] content = startBuild(jobsB, uuid, 5 * 1024 * 1024 + 3);
    awaitBuildNode("zone-b", uuid);

    TlsTransport client = userClient();
    // client -TLS-> gateway A -TLS-> gateway B (its zone's, use_ssl) -TLS-> streamer B
    RecordingSink relayed = new RecordingSink();
    client.open(tlsTarget(uuid, gatewayA.port()), relayed);
    // client -TLS-> gateway B -TLS-> streamer B (same zone: direct, executor hops TLS)
    RecordingSink direct = new RecordingSink();
    client.open(tlsTarget(uuid, gatewayB.port()), direct);
    assertTrue(relayed.awaitBytes(content.length, WAIT), "relayed stream incomplete");
    assertTrue(direct.awaitBytes(content.length, WAIT), "direct stream incomplete");
    // The executor cleans up: every hop ends cleanly.
    removeBuild(jobsB, uuid);
    assertNull(relayed.done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertNull(direct.done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertArrayEquals(content, relayed.bytes());
    assertArrayEquals(content, direct.bytes());
    // At least once: the log's end may reach gateway A before its copy of the registry sees the build
    // gone, and then it asks again from its offset (and hears "not found": the end), as it must.
    assertTrue(gatewayA.metrics().registry().get("fingerpost.streams.opened").tag("route", "gateway")
        .counter().count() >= 1.0, "gateway A relayed through zone B's gateway");
  }

  @Test
  void clientOnlyGatewayListensPlainAndHopsOverTls() throws Exception {
    Path jobsB = Files.createDirectories(dir.resolve("jobs-b"));
    streamer("zone-b", jobsB);
    gateway("zone-b", true);
    Gateway clientOnly = gateway("zone-a", false);
    assertFalse(registered(clientOnly.publicPort()).useSsl(), "a tls_client_only gateway registers use_ssl: false");

    String uuid = "beef" + Long.toHexString(System.nanoTime());
    byte[] content = startBuild(jobsB, uuid, 1024 * 1024);
    awaitBuildNode("zone-b", uuid);
    try (RawFingerClient plain = RawFingerClient.request(clientOnly.port(), uuid + "\n")) {
      assertArrayEquals(content, plain.readExactly(content.length));
      removeBuild(jobsB, uuid);
      assertTrue(plain.atEnd());
    }
  }

  @Test
  void tlsGatewaysDialPlainExecutorsInPlainText() throws Exception {
    // Zuul's executors serve plain finger and register nothing about TLS: a gateway with TLS
    // configured must not dial them over TLS (which gave "Internal streaming error" for every build).
    Path jobsA = Files.createDirectories(dir.resolve("jobs-a"));
    Path jobsB = Files.createDirectories(dir.resolve("jobs-b"));
    streamer("zone-a", jobsA, false);
    streamer("zone-b", jobsB, false);
    Gateway gatewayA = gateway("zone-a", true);
    gateway("zone-b", true);
    String sameZone = "a1" + Long.toHexString(System.nanoTime());
    String otherZone = "b2" + Long.toHexString(System.nanoTime());
    byte[] contentA = startBuild(jobsA, sameZone, 700 * 1024 + 1);
    byte[] contentB = startBuild(jobsB, otherZone, 900 * 1024 + 7);
    awaitBuildNode("zone-a", sameZone);
    awaitBuildNode("zone-b", otherZone);

    TlsTransport client = userClient();
    RecordingSink direct = new RecordingSink();
    client.open(tlsTarget(sameZone, gatewayA.port()), direct);
    // client -TLS-> gateway A -TLS (use_ssl)-> gateway B -plain-> streamer B
    RecordingSink relayed = new RecordingSink();
    client.open(tlsTarget(otherZone, gatewayA.port()), relayed);
    assertTrue(direct.awaitBytes(contentA.length, WAIT), "direct stream incomplete");
    assertTrue(relayed.awaitBytes(contentB.length, WAIT), "relayed stream incomplete");
    removeBuild(jobsA, sameZone);
    removeBuild(jobsB, otherZone);
    assertNull(direct.done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertNull(relayed.done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertArrayEquals(contentA, direct.bytes());
    assertArrayEquals(contentB, relayed.bytes());
  }
}
