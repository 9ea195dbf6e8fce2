package org.fingerpost.packaging;

import org.fingerpost.config.ConfigException;
import org.fingerpost.config.ConfigLoader;
import org.fingerpost.config.Configuration;
import org.fingerpost.config.Keys;
import org.fingerpost.webapp.NodeSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.fingerpost.gateway.GatewaySettings;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.StreamerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlConfigurationTest {
  @TempDir
  Path dir;

  private Path yaml(String text) throws Exception {
    return Files.writeString(dir.resolve("fingerpost.yaml"), text);
  }

  @Test
  void defaultsMatchZuul() throws Exception {
    Configuration c = ConfigLoader.yaml(null, Map.of());
    GatewaySettings gw = DaemonSettings.gateway(c);
    assertEquals(79, gw.port());
    assertEquals("::", gw.listenAddress());
    assertNull(gw.publicPort());
    assertNull(gw.zone());
    assertEquals(Duration.ofSeconds(10), gw.requestTimeout());
    assertEquals(4L * 1024 * 1024, gw.sharedWindowBytes());
    assertEquals(1024L * 1024, gw.viewerBufferBytes());
    RegistrySettings zk = NodeSettings.registry(c, "zk:2181");
    assertEquals(Duration.ofSeconds(120), zk.sessionTimeout());
    assertEquals(33, zk.modelApi(), "Zuul 11's MODEL_API until Zuul's components are seen");
    assertEquals("/zuul", zk.root());
    assertEquals(7900, c.integer(Keys.EX_FINGER_PORT));
  }

  @Test
  void fileValuesAreRead() throws Exception {
    Configuration c = ConfigLoader.yaml(yaml(""
        + "zookeeper:\n  hosts: zk1:2181,zk2:2181/chroot\n  session_timeout: 30\n  root: /ci\n  model_api: 34\n"
        + "fingergw:\n  port: 7979\n  public_port: 443\n  hostname: gw.zone-b.example\n  zone: zone-b\n"
        + "executor:\n  job_dir: /var/lib/zuul/builds\n  zone: zone-b\n  publish_builds: false\n"
        + "transports:\n  plugins_dir: /opt/fingerpost/plugins\n  connect_timeout_ms: 1500\n"), Map.of());
    RegistrySettings zk = NodeSettings.registry(c, null);
    assertEquals("zk1:2181,zk2:2181/chroot", zk.hosts());
    assertEquals(Duration.ofSeconds(30), zk.sessionTimeout());
    assertEquals("/ci", zk.root());
    assertEquals(34, zk.modelApi());
    GatewaySettings gw = DaemonSettings.gateway(c);
    assertEquals(7979, gw.port());
    assertEquals(443, gw.publicPort());
    assertEquals("gw.zone-b.example", gw.hostname());
    assertEquals("zone-b", gw.zone());
    StreamerSettings st = DaemonSettings.streamer(c);
    assertEquals(Path.of("/var/lib/zuul/builds"), st.jobDir());
    assertEquals("zone-b", st.zone());
    assertFalse(st.publishBuilds());
    assertEquals(Path.of("/opt/fingerpost/plugins"), NodeSettings.pluginsDir(c));
    assertEquals("1500", NodeSettings.transports(c).get("connect_timeout").orElseThrow());
  }

  @Test
  void environmentOverridesTheFile() throws Exception {
    Configuration c = ConfigLoader.yaml(yaml("fingergw:\n  port: 7979\n  zone: a\n"), Map.of(
        "FINGERPOST_FINGERGW_ZONE", "b",
        "FINGERPOST_ZOOKEEPER_HOSTS", "zk9:2181",
        "FINGERPOST_EXECUTOR_FINGER_PORT", "7901",
        "FINGERPOST_LOG_LEVEL", "DEBUG",
        "UNRELATED", "x"));
    assertEquals("b", DaemonSettings.gateway(c).zone());
    assertEquals(7979, DaemonSettings.gateway(c).port());
    assertEquals("zk9:2181", NodeSettings.registry(c, null).hosts());
    assertEquals(7901, c.integer(Keys.EX_FINGER_PORT));
  }

  @Test
  void unknownKeyNamesSectionAndKey() throws Exception {
    Path file = yaml("fingergw:\n  prot: 79\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.yaml(file, Map.of()));
    assertTrue(e.getMessage().contains("section 'fingergw', key 'prot'"), e.getMessage());
  }

  @Test
  void invalidValueNamesSectionAndKey() throws Exception {
    Path file = yaml("executor:\n  finger_port: seventy-nine\n");
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.yaml(file, Map.of()));
    assertTrue(e.getMessage().contains("section 'executor', key 'finger_port'"), e.getMessage());
  }

  @Test
  void invalidEnvironmentValueIsReported() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.yaml(null, Map.of("FINGERPOST_FINGERGW_PORT", "x")));
    assertTrue(e.getMessage().contains("section 'fingergw', key 'port'"), e.getMessage());
  }

  @Test
  void outOfRangePortAndMissingRequiredKeysAreReported() throws Exception {
    Configuration c = ConfigLoader.yaml(yaml("fingergw:\n  port: 70000\n"), Map.of());
    assertTrue(assertThrows(ConfigException.class, () -> DaemonSettings.gateway(c)).getMessage()
        .contains("section 'fingergw', key 'port'"));
    assertTrue(assertThrows(ConfigException.class, () -> DaemonSettings.streamer(c)).getMessage()
        .contains("section 'executor', key 'job_dir' is required"));
    assertTrue(assertThrows(ConfigException.class, () -> NodeSettings.registry(c, null)).getMessage()
        .contains("section 'zookeeper', key 'hosts' is required"));
  }

  @Test
  void notAMappingIsReported() throws Exception {
    Path file = yaml("- just\n- a list\n");
    assertThrows(ConfigException.class, () -> ConfigLoader.yaml(file, Map.of()));
  }

  @Test
  void authAndAccessSectionsInYaml() throws Exception {
    Configuration c = ConfigLoader.yaml(yaml(""
        + "auth:\n  corp:\n    driver: HS256\n    secret: s3cret\n    issuer_id: https://corp\n    skew: 5\n"
        + "    default: true\n"
        + "access:\n  tenant_config: /etc/fingerpost/tenants.yaml\n  rules_wait: 3\n"), Map.of());
    org.fingerpost.webapp.auth.AuthSettings auth = NodeSettings.auth(c);
    assertEquals("corp", auth.authenticators().get(0).name());
    assertEquals(java.time.Duration.ofSeconds(5), auth.authenticators().get(0).skew());
    assertEquals(true, auth.authenticators().get(0).isDefault());
    assertEquals(Path.of("/etc/fingerpost/tenants.yaml"), auth.access().tenantConfig());
    Configuration bad = ConfigLoader.yaml(yaml("auth:\n  corp:\n    driver: HS256\n    issuer_id: i\n"), Map.of());
    ConfigException e = assertThrows(ConfigException.class, () -> NodeSettings.auth(bad));
    assertEquals("Invalid configuration: [auth corp]: 'secret' is required by driver HS256", e.getMessage());
  }

  @Test
  void noSectionAsksForAMonitoringListenerByDefault() throws Exception {
    Configuration c = ConfigLoader.yaml(null, Map.of());
    assertEquals(Optional.empty(), Monitoring.listener(c, "fingergw"));
    assertEquals(Optional.empty(), Monitoring.listener(c, "executor"));
    assertEquals(Optional.empty(), Monitoring.listener(c, "web"));
  }

  @Test
  void prometheusKeysAreReadInEveryDaemonSection() throws Exception {
    Configuration c = ConfigLoader.yaml(yaml(""
        + "fingergw:\n  prometheus_port: 9091\n"
        + "executor:\n  prometheus_port: 9092\n  prometheus_addr: 127.0.0.1\n"
        + "web:\n  prometheus_port: 0\n  prometheus_addr: '::'\n"), Map.of());
    assertEquals(Optional.of(new Monitoring.Listener("0.0.0.0", 9091)), Monitoring.listener(c, "fingergw"),
        "Zuul's default address");
    assertEquals(Optional.of(new Monitoring.Listener("127.0.0.1", 9092)), Monitoring.listener(c, "executor"));
    assertEquals(Optional.of(new Monitoring.Listener("::", 0)), Monitoring.listener(c, "web"), "0: any free port");
  }

  @Test
  void prometheusKeysFollowTheEnvironment() throws Exception {
    Configuration c = ConfigLoader.yaml(yaml("fingergw:\n  prometheus_port: 9091\n"), Map.of(
        "FINGERPOST_FINGERGW_PROMETHEUS_PORT", "9191",
        "FINGERPOST_EXECUTOR_PROMETHEUS_PORT", "9192",
        "FINGERPOST_WEB_PROMETHEUS_PORT", "9193",
        "FINGERPOST_WEB_PROMETHEUS_ADDR", "127.0.0.1"));
    assertEquals(Optional.of(new Monitoring.Listener("0.0.0.0", 9191)), Monitoring.listener(c, "fingergw"));
    assertEquals(Optional.of(new Monitoring.Listener("0.0.0.0", 9192)), Monitoring.listener(c, "executor"));
    assertEquals(Optional.of(new Monitoring.Listener("127.0.0.1", 9193)), Monitoring.listener(c, "web"));
  }

  @Test
  void monitoringPortIsADeprecatedAliasWithoutDefault() throws Exception {
    Configuration old = ConfigLoader.yaml(yaml(""
        + "fingergw:\n  listen_address: 127.0.0.1\n  monitoring_port: 8079\n"
        + "executor:\n  monitoring_port: -1\n"), Map.of());
    assertEquals(Optional.of(new Monitoring.Listener("127.0.0.1", 8079)), Monitoring.listener(old, "fingergw"),
        "bound to listen_address as before");
    assertEquals(Optional.empty(), Monitoring.listener(old, "executor"), "-1: off");

    Configuration both = ConfigLoader.yaml(yaml(""
        + "fingergw:\n  monitoring_port: 8079\n  prometheus_port: 9091\n"
        + "executor:\n  monitoring_port: 8900\n  prometheus_addr: 127.0.0.2\n"), Map.of());
    assertEquals(Optional.of(new Monitoring.Listener("0.0.0.0", 9091)), Monitoring.listener(both, "fingergw"),
        "prometheus_port wins");
    assertEquals(Optional.of(new Monitoring.Listener("127.0.0.2", 8900)), Monitoring.listener(both, "executor"));

    Configuration web = ConfigLoader.yaml(null, Map.of("FINGERPOST_WEB_MONITORING_PORT", "9100"));
    assertEquals(Optional.of(new Monitoring.Listener("127.0.0.1", 9100)), Monitoring.listener(web, "web"),
        "the same alias in every section, bound to the web's listen_address");
  }

  @Test
  void invalidMonitoringPortsNameSectionAndKey() throws Exception {
    Configuration c = ConfigLoader.yaml(yaml("web:\n  prometheus_port: 70000\nexecutor:\n  monitoring_port: -2\n"),
        Map.of());
    assertTrue(assertThrows(ConfigException.class, () -> Monitoring.listener(c, "web")).getMessage()
        .contains("section 'web', key 'prometheus_port' must be a port"));
    assertTrue(assertThrows(ConfigException.class, () -> Monitoring.listener(c, "executor")).getMessage()
        .contains("section 'executor', key 'monitoring_port' must be a port"));
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.yaml(null, Map.of("FINGERPOST_FINGERGW_PROMETHEUS_PORT", "ninety")));
    assertTrue(e.getMessage().contains("section 'fingergw', key 'prometheus_port'"), e.getMessage());
  }

  @Test
  void catchUpUpstreamsAndTheGatewaysSlowClientTimeoutAreRead() throws Exception {
    Configuration defaults = ConfigLoader.yaml(null, Map.of());
    assertEquals(org.fingerpost.streams.SharedStreams.DEFAULT_CATCH_UP_UPSTREAMS,
        DaemonSettings.gateway(defaults).catchUpUpstreams());
    assertEquals(Duration.ofMinutes(10), DaemonSettings.gateway(defaults).slowClientTimeout());
    assertEquals(4, NodeSettings.web(defaults).catchUpUpstreams());

    Configuration c = ConfigLoader.yaml(yaml("fingergw:\n  catchup_upstreams: 0\n  slow_client_timeout: 2.5\n"
        + "web:\n  catchup_upstreams: 7\n"), Map.of());
    assertEquals(0, DaemonSettings.gateway(c).catchUpUpstreams());
    assertEquals(Duration.ofMillis(2500), DaemonSettings.gateway(c).slowClientTimeout());
    assertEquals(7, NodeSettings.web(c).catchUpUpstreams());

    Configuration negative = ConfigLoader.yaml(yaml("fingergw:\n  catchup_upstreams: -1\n"
        + "web:\n  catchup_upstreams: -1\n"), Map.of());
    assertThrows(ConfigException.class, () -> DaemonSettings.gateway(negative));
    assertThrows(ConfigException.class, () -> NodeSettings.web(negative));
  }
}
