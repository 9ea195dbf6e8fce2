package org.fingerpost.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.TestZooKeeper;
import org.fingerpost.testing.TestPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZooKeeper over TLS with Zuul's three PEM files: a real ZooKeeper server with a secure client port
 * that requires client certificates; certificates made with the JDK's keytool, or with {@link TestPki}
 * for the key formats finger TLS accepts.
 */
class RegistryTlsTest {
  static final String PASSWORD = "changeit";
  /** Server settings that QuorumPeerConfig turns into JVM-wide "zookeeper." properties; undone after. */
  static final String[] SERVER_PROPERTIES = {"zookeeper.serverCnxnFactory", "zookeeper.ssl.keyStore.location",
      "zookeeper.ssl.keyStore.password", "zookeeper.ssl.keyStore.type", "zookeeper.ssl.trustStore.location",
      "zookeeper.ssl.trustStore.type", "zookeeper.secureClientPort"};

  @TempDir
  Path dir;

  @AfterAll
  static void clearServerProperties() {
    for (String p : SERVER_PROPERTIES) {
      System.clearProperty(p);
    }
  }

  static Path pem(Path file, String type, byte[] der) throws Exception {
    String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
    return Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void connectsWithZuulsPemFilesAndRegisters() throws Exception {
    Path keystore = dir.resolve("zk.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "zk", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
        "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", keystore.toString(),
        "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD).inheritIO().start();
    assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool made a certificate");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(keystore.toFile())) {
      ks.load(in, PASSWORD.toCharArray());
    }
    Path cert = pem(dir.resolve("client.pem"), "CERTIFICATE", ks.getCertificate("zk").getEncoded());
    Path key = pem(dir.resolve("client.key"), "PRIVATE KEY", ks.getKey("zk", PASSWORD.toCharArray()).getEncoded());
    Path ca = Files.copy(cert, dir.resolve("cacert.pem")); // self-signed: its own CA

    int securePort = freePort();
    try (TestingServer server = tlsServer(securePort, keystore, ca)) {
      RegistrySettings tls = ZkTesting.config("127.0.0.1:" + securePort).toBuilder()
          .tlsCert(cert).tlsKey(key).tlsCa(ca).build();
      try (Registry registry = Registry.connect(tls)) {
        assertTrue(registry.awaitConnected(TestZooKeeper.AWAIT), "connected over TLS");
        try (ComponentRegistration r = new ComponentRegistration(registry,
            ComponentInfo.builder("fingergw", "gw-tls").state(ComponentState.RUNNING).build())) {
          r.start();
          Await.until("registered", () -> new ComponentDirectory(registry).list("fingergw").size() == 1);
          assertEquals("gw-tls", new ComponentDirectory(registry).list("fingergw").get(0).hostname());
        }
      }
      // Without the TLS settings the secure port does not let a client in.
      try (Registry plain = Registry.connect(ZkTesting.config("127.0.0.1:" + securePort).toBuilder()
          .connectionTimeout(Duration.ofSeconds(2)).build())) {
        assertFalse(plain.isConnected(), "a plain client cannot use the TLS port");
      }
    }
  }

  /** A ZooKeeper whose only client port is {@code securePort}, TLS, requiring certificates {@code ca} signed. */
  static TestingServer tlsServer(int securePort, Path keystore, Path ca) throws Exception {
    Map<String, Object> props = new HashMap<>();
    props.put("secureClientPort", Integer.toString(securePort));
    props.put("serverCnxnFactory", "org.apache.zookeeper.server.NettyServerCnxnFactory");
    props.put("ssl.keyStore.location", keystore.toString());
    props.put("ssl.keyStore.password", PASSWORD);
    props.put("ssl.keyStore.type", "PKCS12");
    props.put("ssl.trustStore.location", ca.toString());
    props.put("ssl.trustStore.type", "PEM");
    InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, TestZooKeeper.TICK_MS, -1, props);
    return new TestingServer(spec, true);
  }

  /**
   * ZooKeeper TLS reads keys as finger TLS does (module {@code pem}): PKCS#8, PKCS#1 RSA and SEC1 EC
   * client keys, as {@code openssl} writes them, all connect. Certificates from {@link TestPki}.
   */
  @Test
  void acceptsTheKeyFormatsFingerTlsAccepts() throws Exception {
    TestPki pki = new TestPki(dir);
    TestPki.Cert ca = pki.ca("zk-ca");
    Instant from = Instant.now().minus(Duration.ofHours(1));
    Instant to = Instant.now().plus(Duration.ofDays(1));
    TestPki.Cert zk = ca.issue("zk-server", from, to, "RSA", TestPki.KeyFormat.PKCS8, "127.0.0.1", "localhost");
    Path keystore = dir.resolve("zk-server.p12");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("zk", zk.key, PASSWORD.toCharArray(), new Certificate[] {zk.certificate});
    try (OutputStream out = Files.newOutputStream(keystore)) {
      ks.store(out, PASSWORD.toCharArray());
    }
    int securePort = freePort();
    try (TestingServer server = tlsServer(securePort, keystore, ca.certFile)) {
      for (String alg : new String[] {"RSA", "EC"}) {
        for (TestPki.KeyFormat format : TestPki.KeyFormat.values()) {
          TestPki.Cert client = ca.issue("client-" + alg + "-" + format, from, to, alg, format, "client.example");
          RegistrySettings tls = ZkTesting.config("127.0.0.1:" + securePort).toBuilder()
              .tlsCert(client.certFile).tlsKey(client.keyFile).tlsCa(ca.certFile).build();
          try (Registry registry = Registry.connect(tls)) {
            assertTrue(registry.awaitConnected(TestZooKeeper.AWAIT), "connected over TLS with " + alg + " " + format);
          }
        }
      }
    }
  }
}
