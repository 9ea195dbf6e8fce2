package org.fingerpost.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZooKeeper over TLS with Zuul's three PEM files: a real ZooKeeper server with a secure client port
 * that requires client certificates, certificates made with the JDK's keytool.
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
    Map<String, Object> props = new HashMap<>();
    props.put("secureClientPort", Integer.toString(securePort));
    props.put("serverCnxnFactory", "org.apache.zookeeper.server.NettyServerCnxnFactory");
    props.put("ssl.keyStore.location", keystore.toString());
    props.put("ssl.keyStore.password", PASSWORD);
    props.put("ssl.keyStore.type", "PKCS12");
    props.put("ssl.trustStore.location", ca.toString());
    props.put("ssl.trustStore.type", "PEM");
    InstanceSpec spec = new InstanceSpec(null, -1, -1, -1, true, -1, ZkTesting.TICK_MS, -1, props);
    try (TestingServer server = new TestingServer(spec, true)) {
      RegistryConfig tls = ZkTesting.config("127.0.0.1:" + securePort).toBuilder()
          .tlsCert(cert).tlsKey(key).tlsCa(ca).build();
      try (Registry registry = Registry.connect(tls)) {
        assertTrue(registry.awaitConnected(ZkTesting.AWAIT), "connected over TLS");
        try (ComponentRegistration r = new ComponentRegistration(registry,
            ComponentInfo.builder("fingergw", "gw-tls").state(ComponentState.RUNNING).build())) {
          r.start();
          ZkTesting.await("registered", () -> new ComponentDirectory(registry).list("fingergw").size() == 1);
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
}
