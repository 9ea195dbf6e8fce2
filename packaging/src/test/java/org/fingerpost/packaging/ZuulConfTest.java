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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fingerpost.gateway.GatewaySettings;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.StreamerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Importing Zuul's own zuul.conf: a realistic file, Python ConfigParser syntax, errors that name the key. */
class ZuulConfTest {
  /** A zuul.conf as a zoned Zuul deployment has it (TLS to ZooKeeper and on finger hops, public ports). */
  static final String REALISTIC = String.join("\n",
      "# Zuul configuration, managed by Ansible",
      "[DEFAULT]",
      "certs = /etc/zuul/certs",
      "",
      "[zookeeper]",
      "hosts=zk01.example.com:2281,zk02.example.com:2281,zk03.example.com:2281/zuul-ci",
      "tls_cert=%(certs)s/client.pem",
      "tls_key=%(certs)s/client.key",
      "tls_ca=%(certs)s/cacert.pem",
      "session_timeout=40",
      "",
      "[keystore]",
      "password=secret%%percent",
      "",
      "[scheduler]",
      "tenant_config=/etc/zuul/main.yaml",
      "",
      "[database]",
      "dburi=postgresql://zuul:pw@db/zuul",
      "",
      "[fingergw]",
      "listen_address: 0.0.0.0",
      "port = 9079",
      "public_port = 443",
      "hostname = fingergw.eu-central.example.com",
      "zone = eu-central",
      "user = zuul",
      "tls_cert=%(certs)s/fingergw.pem",
      "tls_key=%(certs)s/fingergw.key",
      "tls_ca=%(certs)s/cacert.pem",
      "tls_verify_hostnames=true",
      "tls_client_only=false",
      "",
      "[web]",
      "listen_address=::",
      "port=9000",
      "zone=eu-central",
      "static_cache_expiry=0",
      "status_url=https://zuul.example.com",
      "",
      "[executor]",
      "; executors in the eu-central cluster",
      "job_dir=/var/lib/zuul/builds",
      "finger_port=7900",
      "zone=eu-central",
      "private_key_file=/var/lib/zuul/ssh/id_rsa",
      "variables=/etc/zuul/site-variables.yaml",
      "trusted_ro_paths=/opt/a",
      "  /opt/b",
      "publish_builds=true",
      "",
      "[connection gerrit]",
      "driver=gerrit",
      "server=review.example.com",
      "");

  @TempDir
  Path dir;

  private Path conf(String text) throws Exception {
    return Files.writeString(dir.resolve("zuul.conf"), text);
  }

  @Test
  void realisticZuulConfFillsTheModel() throws Exception {
    Configuration c = ConfigLoader.zuulConf(conf(REALISTIC), Map.of());
    RegistrySettings zk = NodeSettings.registry(c, null);
    assertEquals("zk01.example.com:2281,zk02.example.com:2281,zk03.example.com:2281/zuul-ci", zk.hosts());
    assertEquals(Duration.ofSeconds(40), zk.sessionTimeout());
    assertEquals(Path.of("/etc/zuul/certs/client.pem"), zk.tlsCert(), "interpolated from [DEFAULT]");
    assertEquals(Path.of("/etc/zuul/certs/cacert.pem"), zk.tlsCa());

    GatewaySettings gw = DaemonSettings.gateway(c);
    assertEquals("0.0.0.0", gw.listenAddress(), "key: value syntax");
    assertEquals(9079, gw.port());
    assertEquals(443, gw.publicPort());
    assertEquals("fingergw.eu-central.example.com", gw.hostname());
    assertEquals("eu-central", gw.zone());
    assertEquals("zuul", c.text(Keys.GW_USER));

    assertEquals("::", c.text(Keys.WEB_LISTEN_ADDRESS));
    assertEquals(9000, c.integer(Keys.WEB_PORT));
    assertEquals("eu-central", c.text(Keys.WEB_ZONE));

    StreamerSettings st = DaemonSettings.streamer(c);
    assertEquals(Path.of("/var/lib/zuul/builds"), st.jobDir());
    assertEquals(7900, st.port());
    assertEquals("eu-central", st.zone());
    assertFalse(c.bool(Keys.EX_PUBLISH_BUILDS), "Zuul owns the build nodes, whatever the file says");
  }

  @Test
  void defaultsAreZuulsWhenKeysAreMissing() throws Exception {
    Configuration c = ConfigLoader.zuulConf(conf("[zookeeper]\nhosts=zk:2181\n"), Map.of());
    assertEquals(79, DaemonSettings.gateway(c).port());
    assertNull(DaemonSettings.gateway(c).zone());
    assertEquals(Duration.ofSeconds(120), NodeSettings.registry(c, null).sessionTimeout());
    assertEquals(9000, c.integer(Keys.WEB_PORT));
    assertEquals("127.0.0.1", c.text(Keys.WEB_LISTEN_ADDRESS));
    assertEquals(7900, c.integer(Keys.EX_FINGER_PORT));
    assertFalse(c.bool(Keys.EX_PUBLISH_BUILDS));
    assertEquals(Path.of("/var/lib/zuul/builds"), DaemonSettings.streamer(c).jobDir(), "Zuul's default job_dir");
  }

  @Test
  void environmentOverridesZuulConf() throws Exception {
    Configuration c = ConfigLoader.zuulConf(conf(REALISTIC), Map.of("FINGERPOST_FINGERGW_ZONE", "us-west"));
    assertEquals("us-west", DaemonSettings.gateway(c).zone());
  }

  @Test
  void invalidValuesNameTheSectionAndKey() throws Exception {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.zuulConf(conf("[zookeeper]\nhosts=zk:2181\n[fingergw]\nport = seventy-nine\n"), Map.of()));
    assertTrue(e.getMessage().contains("section 'fingergw', key 'port'"), e.getMessage());
    assertTrue(e.getMessage().contains("zuul.conf"), e.getMessage());

    e = assertThrows(ConfigException.class,
        () -> ConfigLoader.zuulConf(conf("[executor]\nfinger_port=7900\nfinger_port=7901\n"), Map.of()));
    assertTrue(e.getMessage().contains("'finger_port' appears twice"), e.getMessage());

    e = assertThrows(ConfigException.class,
        () -> ConfigLoader.zuulConf(conf("hosts=zk:2181\n"), Map.of()));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());

    e = assertThrows(ConfigException.class,
        () -> ConfigLoader.zuulConf(conf("[web]\nzone=%(nowhere)s\n"), Map.of()));
    assertTrue(e.getMessage().contains("[web] zone"), e.getMessage());

    Configuration partial = ConfigLoader.zuulConf(conf("[zookeeper]\nhosts=zk:2181\ntls_cert=/etc/zuul/c.pem\n"), Map.of());
    e = assertThrows(ConfigException.class, () -> NodeSettings.registry(partial, null));
    assertTrue(e.getMessage().contains("'tls_cert', 'tls_key' and 'tls_ca' must be given together"), e.getMessage());

    Configuration c = ConfigLoader.zuulConf(conf("[fingergw]\nport=70000\n"), Map.of());
    e = assertThrows(ConfigException.class, () -> DaemonSettings.gateway(c));
    assertTrue(e.getMessage().contains("section 'fingergw', key 'port'"), e.getMessage());
  }

  @Test
  void commandLineTakesZuulConf() throws Exception {
    Path file = conf("[zookeeper]\nhosts=127.0.0.1:1\n[fingergw]\nport=abc\n");
    String[] r = MainTest.run("gateway", "--zuul-conf", file.toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("section 'fingergw', key 'port'"), r[2]);
    Path yaml = Files.writeString(dir.resolve("f.yaml"), "zookeeper:\n  hosts: a:1\n");
    r = MainTest.run("streamer", "--zuul-conf", file.toString(), "--config", yaml.toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("either --config or --zuul-conf"), r[2]);
  }

  @Test
  void authSectionsAreZuulsAuthenticators() throws Exception {
    Configuration c = ConfigLoader.zuulConf(conf(String.join("\n",
        "[DEFAULT]",
        "certs = /etc/zuul/certs",
        "[zookeeper]",
        "hosts=zk:2181",
        "[auth zuul_operator]",
        "driver=HS256",
        "allow_authz_override=true",
        "realm=zuul.example.com",
        "client_id=zuul.example.com",
        "issuer_id=zuul_operator",
        "secret=exampleSecret",
        "[auth \"keycloak\"]",
        "default=true",
        "driver=OpenIDConnect",
        "realm=example-realm",
        "issuer_id=https://keycloak/auth/realms/example-realm",
        "client_id=zuul",
        "max_validity_time=3600",
        "")), Map.of());
    org.fingerpost.webapp.auth.AuthSettings auth = NodeSettings.auth(c);
    assertEquals(List.of("zuul_operator", "keycloak"),
        auth.authenticators().stream().map(org.fingerpost.webapp.auth.AuthenticatorSettings::name).toList());
    assertTrue(auth.authenticators().get(0).allowAuthzOverride());
    assertEquals(Duration.ofHours(1), auth.authenticators().get(1).maxValidityTime());
    assertNull(auth.access().tenantConfig(), "next to Zuul the rules come from ZooKeeper");
  }

  @Test
  void prometheusKeysOfEveryDaemonSectionAreHonoured() throws Exception {
    Configuration c = ConfigLoader.zuulConf(conf(String.join("\n", "[zookeeper]", "hosts=zk:2181",
        "[fingergw]", "prometheus_port=9091",
        "[executor]", "prometheus_port = 9092", "prometheus_addr = 127.0.0.1",
        "[web]", "prometheus_port: 0",
        "[scheduler]", "prometheus_port=9093", "")), Map.of());
    assertEquals(Optional.of(new Monitoring.Listener("0.0.0.0", 9091)), Monitoring.listener(c, "fingergw"));
    assertEquals(Optional.of(new Monitoring.Listener("127.0.0.1", 9092)), Monitoring.listener(c, "executor"));
    assertEquals(Optional.of(new Monitoring.Listener("0.0.0.0", 0)), Monitoring.listener(c, "web"));
  }

  @Test
  void withoutPrometheusPortNoDaemonOpensAMonitoringListener() throws Exception {
    Configuration c = ConfigLoader.zuulConf(conf(REALISTIC), Map.of());
    assertEquals(Optional.empty(), Monitoring.listener(c, "fingergw"));
    assertEquals(Optional.empty(), Monitoring.listener(c, "executor"));
    assertEquals(Optional.empty(), Monitoring.listener(c, "web"));
    Configuration legacy = ConfigLoader.zuulConf(conf("[fingergw]\nmonitoring_port=8079\nprometheus_addr=127.0.0.1\n"
        + "[executor]\nmonitoring_port=8900\n"), Map.of());
    assertEquals(Optional.empty(), Monitoring.listener(legacy, "fingergw"), "not a zuul.conf key: ignored");
    assertEquals(Optional.empty(), Monitoring.listener(legacy, "executor"));
  }

  @Test
  void connectionSectionsFeedTheWebhookEndpoint() throws Exception {
    Configuration c = ConfigLoader.zuulConf(conf(String.join("\n",
        "[zookeeper]", "hosts=zk:2181",
        "[connection github]", "driver=github", "webhook_token=s3cret", "app_id=1",
        "[connection gerrit]", "driver=gerrit", "server=review.example.org",
        "[connection pagure.io]", "driver=pagure", "api_token=t", "source_whitelist=8.43.85.75",
        "[webhooks]", "max_body_bytes=1000", "")), Map.of());
    org.fingerpost.webapp.webhooks.WebhookConnections w = NodeSettings.webhooks(c);
    assertEquals(java.util.List.of("github", "pagure.io"), new java.util.ArrayList<>(w.connections().keySet()));
    assertEquals("s3cret", w.connections().get("github").webhookToken());
    assertEquals("https://pagure.io", w.connections().get("pagure.io").pagureBaseUrl().toString());
    assertEquals(1000, w.maxBodyBytes());
    ConfigException e = assertThrows(ConfigException.class, () -> {
      Configuration bad = ConfigLoader.zuulConf(conf("[zookeeper]\nhosts=zk:2181\n[connection gh]\ndriver=github\n"), Map.of());
      NodeSettings.webhooks(bad);
    });
    assertTrue(e.getMessage().contains("[connection gh] webhook_token"), e.getMessage());
  }

  @Test
  void yamlConnectionsAndWebhooksSection() throws Exception {
    Path yaml = Files.writeString(dir.resolve("w.yaml"), String.join("\n",
        "connections:", "  gitlab:", "    driver: gitlab", "    webhook_token: tok",
        "webhooks:", "  persist_timeout: 2.5", ""));
    Configuration c = ConfigLoader.yaml(yaml, Map.of("FINGERPOST_WEBHOOKS_MAX_BODY_BYTES", "4096"));
    org.fingerpost.webapp.webhooks.WebhookConnections w = NodeSettings.webhooks(c);
    assertEquals("tok", w.connections().get("gitlab").webhookToken());
    assertEquals(java.time.Duration.ofMillis(2500), w.persistTimeout());
    assertEquals(4096, w.maxBodyBytes());
  }
}
