package org.fingerpost.packaging;

import org.fingerpost.config.ConfigException;
import org.fingerpost.config.ConfigLoader;
import org.fingerpost.config.Configuration;
import org.fingerpost.config.Keys;
import org.fingerpost.webapp.NodeSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fingerpost.testing.TestPki;
import org.fingerpost.transport.TransportSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsWiringTest {
  @TempDir Path dir;

  Configuration load(String yaml) throws Exception {
    return ConfigLoader.yaml(Files.writeString(dir.resolve("fingerpost.yaml"), yaml), Map.of());
  }

  @Test
  void fingergwTlsKeysReachTheTransportsAndTheListener() throws Exception {
    TestPki pki = new TestPki(dir);
    TestPki.Cert ca = pki.ca("ca");
    TestPki.Cert gw = ca.issue("gw", "gw.zone-a.example");
    String files = "  tls_cert: " + gw.certFile + "\n  tls_key: " + gw.keyFile + "\n  tls_ca: " + ca.certFile + "\n";
    Configuration c = load("fingergw:\n" + files + "  tls_verify_hostnames: false\n"
        + "transports:\n  tls_reload_interval_ms: 1000\n");
    TransportSettings s = NodeSettings.transports(c);
    assertEquals(gw.certFile.toString(), s.get("tls_cert").orElseThrow());
    assertEquals(ca.certFile.toString(), s.get("tls_ca").orElseThrow());
    assertFalse(s.getBoolean("tls_verify_hostnames", true));
    assertEquals("1000", s.get("tls_reload_interval_ms").orElseThrow());
    try (Daemon daemon = new Daemon()) {
      SslContextFactory.Server listener = TlsWiring.gatewayListener(c, daemon);
      assertNotNull(listener);
      assertTrue(listener.getNeedClientAuth(), "mutual TLS");
      assertNull(TlsWiring.streamerListener(c, daemon), "no executor TLS keys: plain streamer");
    }

    Configuration clientOnly = load("fingergw:\n" + files + "  tls_client_only: true\n");
    try (Daemon daemon = new Daemon()) {
      assertNull(TlsWiring.gatewayListener(clientOnly, daemon), "tls_client_only keeps the port plain");
    }

    Configuration streamer = load("executor:\n  job_dir: " + dir + "\n" + files);
    try (Daemon daemon = new Daemon()) {
      assertNotNull(TlsWiring.streamerListener(streamer, daemon));
    }
  }

  @Test
  void incompleteOrBrokenTlsSettingsStopTheDaemonWithTheKeyNamed() throws Exception {
    Configuration halfPair = load("fingergw:\n  tls_cert: /etc/fingerpost/gw.crt\n");
    ConfigException e = assertThrows(ConfigException.class, () -> DaemonSettings.gateway(halfPair));
    assertTrue(e.getMessage().contains("'tls_cert' and 'tls_key' must be set together"), e.getMessage());

    Configuration missingFiles = load("fingergw:\n  tls_cert: " + dir.resolve("no.crt") + "\n  tls_key: "
        + dir.resolve("no.key") + "\n  tls_ca: " + dir.resolve("no-ca.crt") + "\n");
    try (Daemon daemon = new Daemon()) {
      e = assertThrows(ConfigException.class, () -> TlsWiring.gatewayListener(missingFiles, daemon));
      assertTrue(e.getMessage().contains("section 'fingergw'") && e.getMessage().contains("no.crt"), e.getMessage());
    }

    Configuration badProvider = load("fingergw:\n  tls_cert: a\n  tls_key: b\n  tls_ca: c\ntransports:\n  tls_provider: openssl\n");
    try (Daemon daemon = new Daemon()) {
      e = assertThrows(ConfigException.class, () -> TlsWiring.gatewayListener(badProvider, daemon));
      assertTrue(e.getMessage().contains("tls_provider"), e.getMessage());
    }
  }

  @Test
  void certificateAndKeyWithoutCaRefuseToStartNamingTheMissingKey() throws Exception {
    String pair = "  tls_cert: /etc/fingerpost/a.crt\n  tls_key: /etc/fingerpost/a.key\n";
    Configuration gateway = load("fingergw:\n" + pair);
    assertEquals(missingCa("fingergw"),
        assertThrows(ConfigException.class, () -> DaemonSettings.gateway(gateway)).getMessage());
    Configuration streamer = load("executor:\n  job_dir: " + dir + "\n" + pair);
    assertEquals(missingCa("executor"),
        assertThrows(ConfigException.class, () -> DaemonSettings.streamer(streamer)).getMessage());

    // The daemon refuses to start at all (it used to start a plain-text gateway without a word).
    Path file = Files.writeString(dir.resolve("gw.yaml"), "zookeeper:\n  hosts: 127.0.0.1:1\nfingergw:\n"
        + "  port: 0\n" + pair);
    String[] r = MainTest.run("gateway", "--config", file.toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains(missingCa("fingergw")), r[2]);
  }

  static String missingCa(String section) {
    return "Invalid configuration: section '" + section + "': 'tls_cert' and 'tls_key' are set but 'tls_ca' is "
        + "missing; TLS here is mutual and peers' certificates are checked against it (set 'tls_ca', or remove "
        + "'tls_cert' and 'tls_key' for plain finger)";
  }
}
