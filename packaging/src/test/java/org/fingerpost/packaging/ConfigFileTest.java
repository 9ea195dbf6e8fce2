package org.fingerpost.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.fingerpost.gateway.GatewayConfig;
import org.fingerpost.registry.RegistryConfig;
import org.fingerpost.streamer.StreamerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
  @TempDir
  Path dir;

  private Path yaml(String text) throws Exception {
    return Files.writeString(dir.resolve("fingerpost.yaml"), text);
  }

  @Test
  void defaultsMatchZuul() throws Exception {
    ConfigFile c = ConfigFile.load(null, Map.of());
    GatewayConfig gw = c.fingergw.toGatewayConfig();
    assertEquals(79, gw.port());
    assertEquals("::", gw.listenAddress());
    assertNull(gw.publicPort());
    assertNull(gw.zone());
    assertEquals(Duration.ofSeconds(10), gw.requestTimeout());
    assertEquals(4L * 1024 * 1024, gw.sharedWindowBytes());
    assertEquals(1024L * 1024, gw.viewerBufferBytes());
    RegistryConfig zk = c.zookeeper.toRegistryConfig("zk:2181");
    assertEquals(Duration.ofSeconds(120), zk.sessionTimeout());
    assertEquals(33, zk.modelApi(), "Zuul 11's MODEL_API until Zuul's components are seen");
    assertEquals("/zuul", zk.root());
    assertEquals(7900, c.executor.fingerPort);
  }

  @Test
  void fileValuesAreRead() throws Exception {
    ConfigFile c = ConfigFile.load(yaml(""
        + "zookeeper:\n  hosts: zk1:2181,zk2:2181/chroot\n  session_timeout: 30\n  root: /ci\n  model_api: 34\n"
        + "fingergw:\n  port: 7979\n  public_port: 443\n  hostname: gw.zone-b.example\n  zone: zone-b\n"
        + "executor:\n  job_dir: /var/lib/zuul/builds\n  zone: zone-b\n  publish_builds: false\n"
        + "transports:\n  plugins_dir: /opt/fingerpost/plugins\n  connect_timeout_ms: 1500\n"), Map.of());
    RegistryConfig zk = c.zookeeper.toRegistryConfig(null);
    assertEquals("zk1:2181,zk2:2181/chroot", zk.hosts());
    assertEquals(Duration.ofSeconds(30), zk.sessionTimeout());
    assertEquals("/ci", zk.root());
    assertEquals(34, zk.modelApi());
    GatewayConfig gw = c.fingergw.toGatewayConfig();
    assertEquals(7979, gw.port());
    assertEquals(443, gw.publicPort());
    assertEquals("gw.zone-b.example", gw.hostname());
    assertEquals("zone-b", gw.zone());
    StreamerConfig st = c.executor.toStreamerConfig();
    assertEquals(Path.of("/var/lib/zuul/builds"), st.jobDir());
    assertEquals("zone-b", st.zone());
    assertFalse(st.publishBuilds());
    assertEquals(Path.of("/opt/fingerpost/plugins"), c.transports.pluginsPath());
    assertEquals("1500", c.transports.toSettings().get("connect_timeout").orElseThrow());
  }

  @Test
  void environmentOverridesTheFile() throws Exception {
    ConfigFile c = ConfigFile.load(yaml("fingergw:\n  port: 7979\n  zone: a\n"), Map.of(
        "FINGERPOST_FINGERGW_ZONE", "b",
        "FINGERPOST_ZOOKEEPER_HOSTS", "zk9:2181",
        "FINGERPOST_EXECUTOR_FINGER_PORT", "7901",
        "FINGERPOST_LOG_LEVEL", "DEBUG",
        "UNRELATED", "x"));
    assertEquals("b", c.fingergw.toGatewayConfig().zone());
    assertEquals(7979, c.fingergw.toGatewayConfig().port());
    assertEquals("zk9:2181", c.zookeeper.toRegistryConfig(null).hosts());
    assertEquals(7901, c.executor.fingerPort);
  }

  @Test
  void unknownKeyNamesSectionAndKey() throws Exception {
    Path file = yaml("fingergw:\n  prot: 79\n");
    ConfigFile.ConfigException e = assertThrows(ConfigFile.ConfigException.class, () -> ConfigFile.load(file, Map.of()));
    assertTrue(e.getMessage().contains("section 'fingergw', key 'prot'"), e.getMessage());
  }

  @Test
  void invalidValueNamesSectionAndKey() throws Exception {
    Path file = yaml("executor:\n  finger_port: seventy-nine\n");
    ConfigFile.ConfigException e = assertThrows(ConfigFile.ConfigException.class, () -> ConfigFile.load(file, Map.of()));
    assertTrue(e.getMessage().contains("section 'executor', key 'finger_port'"), e.getMessage());
  }

  @Test
  void invalidEnvironmentValueIsReported() {
    ConfigFile.ConfigException e = assertThrows(ConfigFile.ConfigException.class,
        () -> ConfigFile.load(null, Map.of("FINGERPOST_FINGERGW_PORT", "x")));
    assertTrue(e.getMessage().contains("section 'fingergw', key 'port'"), e.getMessage());
  }

  @Test
  void outOfRangePortAndMissingRequiredKeysAreReported() throws Exception {
    ConfigFile c = ConfigFile.load(yaml("fingergw:\n  port: 70000\n"), Map.of());
    assertTrue(assertThrows(ConfigFile.ConfigException.class, c.fingergw::toGatewayConfig).getMessage()
        .contains("section 'fingergw', key 'port'"));
    assertTrue(assertThrows(ConfigFile.ConfigException.class, c.executor::toStreamerConfig).getMessage()
        .contains("section 'executor', key 'job_dir' is required"));
    assertTrue(assertThrows(ConfigFile.ConfigException.class, () -> c.zookeeper.toRegistryConfig(null)).getMessage()
        .contains("section 'zookeeper', key 'hosts' is required"));
  }

  @Test
  void notAMappingIsReported() throws Exception {
    Path file = yaml("- just\n- a list\n");
    assertThrows(ConfigFile.ConfigException.class, () -> ConfigFile.load(file, Map.of()));
  }

  @Test
  void authAndAccessSectionsInYaml() throws Exception {
    ConfigFile c = ConfigFile.load(yaml(""
        + "auth:\n  corp:\n    driver: HS256\n    secret: s3cret\n    issuer_id: https://corp\n    skew: 5\n"
        + "    default: true\n"
        + "access:\n  tenant_config: /etc/fingerpost/tenants.yaml\n  rules_wait: 3\n"), Map.of());
    org.fingerpost.webapp.auth.AuthConfig auth = c.authConfig();
    assertEquals("corp", auth.authenticators().get(0).name());
    assertEquals(java.time.Duration.ofSeconds(5), auth.authenticators().get(0).skew());
    assertEquals(true, auth.authenticators().get(0).isDefault());
    assertEquals(Path.of("/etc/fingerpost/tenants.yaml"), auth.access().tenantConfig());
    ConfigFile bad = ConfigFile.load(yaml("auth:\n  corp:\n    driver: HS256\n    issuer_id: i\n"), Map.of());
    ConfigFile.ConfigException e = assertThrows(ConfigFile.ConfigException.class, bad::authConfig);
    assertEquals("Invalid configuration: [auth corp]: 'secret' is required by driver HS256", e.getMessage());
  }
}
