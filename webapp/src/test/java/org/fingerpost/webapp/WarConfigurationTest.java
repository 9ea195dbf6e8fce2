package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.fingerpost.config.ConfigLoader;
import org.fingerpost.config.Configuration;
import org.fingerpost.config.Keys;
import org.junit.jupiter.api.Test;

/**
 * The WAR's configuration sources and their precedence (system property, environment, context
 * parameter), mapped by {@link NodeSettings} as for {@code fingerpost web} (was WarConfigTest).
 */
class WarConfigurationTest {

  /** The WAR's configuration with {@code params} as its context parameters. */
  static Configuration war(Map<String, String> params) {
    return ConfigLoader.war(params::get, params.keySet());
  }

  @Test
  void proxyKeys() {
    WebSettings web = NodeSettings.web(war(Map.of("fingerpost.zookeeper.hosts", "zk1:2181",
        "fingerpost.web.routes", "/=http://zuul-web:9000/", "fingerpost.web.proxy_idle_timeout", "60",
        "fingerpost.web.proxy_max_body_bytes", "4096", "fingerpost.web.trusted_proxies", "192.168.0.0/16",
        "fingerpost.web.proxy_via", "-", "fingerpost.web.proxy_access_log", "true")));
    assertEquals(Duration.ofSeconds(60), web.proxy().idleTimeout());
    assertEquals(4096, web.proxy().maxBodyBytes());
    assertEquals(java.util.List.of("192.168.0.0/16"), web.proxy().trustedProxies());
    assertEquals("", web.proxy().via());
    assertEquals(true, web.proxy().accessLog());
  }

  @Test
  void contextParametersAreReadWithDefaultsForTheRest() {
    Configuration c = war(Map.of(
        "fingerpost.zookeeper.hosts", "zk1:2181",
        "fingerpost.zookeeper.model_api", "32",
        "fingerpost.web.zone", "a",
        "fingerpost.web.ping_interval", "5",
        "fingerpost.web.routes", "/nodepool/=http://nodepool:8005/"));
    assertEquals("zk1:2181", NodeSettings.registry(c).hosts());
    assertEquals(32, NodeSettings.registry(c).modelApi());
    WebSettings web = NodeSettings.web(c);
    assertEquals("a", web.zone());
    assertEquals(Duration.ofSeconds(5), web.pingInterval());
    assertEquals(WebSettings.DEFAULT_SEND_BUFFER_BYTES, web.sendBufferBytes());
    assertEquals(1, web.routes().size());
    assertNull(NodeSettings.pluginsDir(c));
  }

  @Test
  void zooKeeperClientSocketIsNioUnlessNettyIsAskedAndNothingElse() {
    assertEquals(false, NodeSettings.registry(war(Map.of("fingerpost.zookeeper.hosts", "zk1:2181"))).nettyClient());
    assertEquals(true, NodeSettings.registry(war(Map.of("fingerpost.zookeeper.hosts", "zk1:2181",
        "fingerpost.zookeeper.client_socket", "netty"))).nettyClient());
    org.fingerpost.config.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
        org.fingerpost.config.ConfigException.class, () -> NodeSettings.registry(war(Map.of(
            "fingerpost.zookeeper.hosts", "zk1:2181", "fingerpost.zookeeper.client_socket", "epoll"))));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("client_socket"), e.getMessage());
  }

  @Test
  void systemPropertyWinsOverContextParameter() {
    String key = Keys.WEB_ZONE.property();
    System.setProperty(key, "from-property");
    try {
      assertEquals("from-property", NodeSettings.web(war(Map.of(key, "from-context"))).zone());
    } finally {
      System.clearProperty(key);
    }
  }

  @Test
  void environmentVariableNames() {
    assertEquals("FINGERPOST_ZOOKEEPER_HOSTS", Keys.ZK_HOSTS.envName());
    assertEquals("FINGERPOST_WEB_SEND_BUFFER_BYTES", Keys.WEB_SEND_BUFFER_BYTES.envName());
  }

  @Test
  void websocketCompressionIsOffUnlessSetAndMustBeABoolean() {
    assertFalse(NodeSettings.web(war(Map.of())).websocketCompression());
    String key = Keys.WEB_WEBSOCKET_COMPRESSION.property();
    assertTrue(NodeSettings.web(war(Map.of(key, "true"))).websocketCompression());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> NodeSettings.web(war(Map.of(key, "yes please"))));
    assertTrue(bad.getMessage().contains(key), bad.getMessage());
  }

  @Test
  void missingHostsAndBadNumbersAreClearErrors() {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> NodeSettings.registry(war(Map.of())));
    assertTrue(missing.getMessage().contains("FINGERPOST_ZOOKEEPER_HOSTS"), missing.getMessage());
    String key = Keys.WEB_SEND_BUFFER_BYTES.property();
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> NodeSettings.web(war(Map.of(key, "lots"))));
    assertTrue(bad.getMessage().contains(key), bad.getMessage());
  }

  @Test
  void authenticatorsAndAccessFromNamedKeys() {
    Configuration c = war(Map.of(
        "fingerpost.auth.names", "corp, sso",
        "fingerpost.auth.corp.driver", "HS256",
        "fingerpost.auth.corp.secret", "s3cret",
        "fingerpost.auth.corp.issuer_id", "https://corp",
        "fingerpost.auth.sso.driver", "OpenIDConnect",
        "fingerpost.auth.sso.issuer_id", "https://sso",
        "fingerpost.access.tenant_config", "/etc/fingerpost/tenants.yaml"));
    org.fingerpost.webapp.auth.AuthSettings auth = NodeSettings.auth(c);
    assertEquals(2, auth.authenticators().size());
    assertEquals("https://sso", auth.authenticators().get(1).issuer());
    assertEquals("/etc/fingerpost/tenants.yaml", auth.access().tenantConfig().toString());
    assertTrue(NodeSettings.auth(war(Map.of())).authenticators().isEmpty());
  }

  @Test
  void webhookConnectionsFromParameterNames() {
    Map<String, String> params = Map.of(
        "fingerpost.connection.github.com.driver", "github",
        "fingerpost.connection.github.com.webhook_token", "s",
        "fingerpost.webhooks.max_body_bytes", "2048");
    org.fingerpost.webapp.webhooks.WebhookConnections w = NodeSettings.webhooks(war(params));
    assertEquals("s", w.connections().get("github.com").webhookToken());
    assertEquals(2048, w.maxBodyBytes());
  }

  @Test
  void theWarReadsEveryKeyTheFatJarsWebReadsTlsIncluded() {
    Configuration c = war(Map.of(
        "fingerpost.fingergw.tls_cert", "/etc/fingerpost/web.pem",
        "fingerpost.fingergw.tls_key", "/etc/fingerpost/web.key",
        "fingerpost.fingergw.tls_ca", "/etc/fingerpost/ca.pem",
        "fingerpost.zookeeper.hosts", "zk:2281",
        "fingerpost.zookeeper.tls_cert", "/etc/fingerpost/zk.pem",
        "fingerpost.zookeeper.tls_key", "/etc/fingerpost/zk.key",
        "fingerpost.zookeeper.tls_ca", "/etc/fingerpost/zk-ca.pem",
        "fingerpost.web.shared_window_bytes", "1000",
        "fingerpost.web.viewer_buffer_bytes", "2000"));
    org.fingerpost.transport.TransportSettings t = NodeSettings.transports(c);
    assertEquals("/etc/fingerpost/web.pem", t.get("tls_cert").orElseThrow());
    assertEquals("/etc/fingerpost/ca.pem", t.get("tls_ca").orElseThrow());
    assertEquals(java.nio.file.Path.of("/etc/fingerpost/zk-ca.pem"), NodeSettings.registry(c).tlsCa());
    assertEquals(1000, NodeSettings.web(c).sharedWindowBytes());
    assertEquals(2000, NodeSettings.web(c).viewerBufferBytes());
    for (org.fingerpost.config.Key key : Keys.all()) {
      if (key.roles().contains(org.fingerpost.config.Key.Role.WEB) && !key.named()) {
        boolean container = key.section().equals(Keys.WEB)
            && (key.name().equals("listen_address") || key.name().equals("port") || key.name().contains("_port")
            || key.name().equals("prometheus_addr"));
        assertEquals(!container, key.roles().contains(org.fingerpost.config.Key.Role.WAR),
            key + ": the WAR reads every key web reads, but the container's own listeners");
      }
    }
  }
}
