package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The WAR's configuration sources and their precedence (system property, environment, context parameter). */
class WarConfigTest {

  @Test
  void contextParametersAreReadWithDefaultsForTheRest() {
    WarConfig c = WarConfig.of(Map.of(
        "fingerpost.zookeeper.hosts", "zk1:2181",
        "fingerpost.zookeeper.model_api", "32",
        "fingerpost.web.zone", "a",
        "fingerpost.web.ping_interval", "5",
        "fingerpost.web.routes", "/nodepool/=http://nodepool:8005/")::get);
    assertEquals("zk1:2181", c.registry().hosts());
    assertEquals(32, c.registry().modelApi());
    WebSettings web = c.web();
    assertEquals("a", web.zone());
    assertEquals(Duration.ofSeconds(5), web.pingInterval());
    assertEquals(WebSettings.DEFAULT_SEND_BUFFER_BYTES, web.sendBufferBytes());
    assertEquals(1, web.routes().size());
    assertNull(c.pluginsDir());
  }

  @Test
  void proxyKeys() {
    WebSettings web = WarConfig.of(Map.of("fingerpost.zookeeper.hosts", "zk1:2181",
        "fingerpost.web.routes", "/=http://zuul-web:9000/", "fingerpost.web.proxy_idle_timeout", "60",
        "fingerpost.web.proxy_max_body_bytes", "4096", "fingerpost.web.trusted_proxies", "192.168.0.0/16",
        "fingerpost.web.proxy_via", "-", "fingerpost.web.proxy_access_log", "true")::get).web();
    assertEquals(Duration.ofSeconds(60), web.proxy().idleTimeout());
    assertEquals(4096, web.proxy().maxBodyBytes());
    assertEquals(java.util.List.of("192.168.0.0/16"), web.proxy().trustedProxies());
    assertEquals("", web.proxy().via());
    assertEquals(true, web.proxy().accessLog());
  }

  @Test
  void systemPropertyWinsOverContextParameter() {
    String key = WarConfig.WEB_ZONE;
    System.setProperty(key, "from-property");
    try {
      assertEquals("from-property", WarConfig.of(Map.of(key, "from-context")::get).web().zone());
    } finally {
      System.clearProperty(key);
    }
  }

  @Test
  void environmentVariableNames() {
    assertEquals("FINGERPOST_ZOOKEEPER_HOSTS", WarConfig.envName(WarConfig.ZOOKEEPER_HOSTS));
    assertEquals("FINGERPOST_WEB_SEND_BUFFER_BYTES", WarConfig.envName(WarConfig.WEB_SEND_BUFFER_BYTES));
  }

  @Test
  void websocketCompressionIsOffUnlessSetAndMustBeABoolean() {
    assertFalse(new WarConfig(k -> null).web().websocketCompression());
    assertTrue(WarConfig.of(Map.of(WarConfig.WEB_WEBSOCKET_COMPRESSION, "true")::get).web().websocketCompression());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> new WarConfig(Map.of(WarConfig.WEB_WEBSOCKET_COMPRESSION, "yes please")::get).web());
    assertTrue(bad.getMessage().contains(WarConfig.WEB_WEBSOCKET_COMPRESSION), bad.getMessage());
  }

  @Test
  void missingHostsAndBadNumbersAreClearErrors() {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> new WarConfig(k -> null).registry());
    assertTrue(missing.getMessage().contains("FINGERPOST_ZOOKEEPER_HOSTS"), missing.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> new WarConfig(Map.of(WarConfig.WEB_SEND_BUFFER_BYTES, "lots")::get).web());
    assertTrue(bad.getMessage().contains(WarConfig.WEB_SEND_BUFFER_BYTES), bad.getMessage());
  }

  @Test
  void authenticatorsAndAccessFromNamedKeys() {
    WarConfig c = WarConfig.of(Map.of(
        "fingerpost.auth.names", "corp, sso",
        "fingerpost.auth.corp.driver", "HS256",
        "fingerpost.auth.corp.secret", "s3cret",
        "fingerpost.auth.corp.issuer_id", "https://corp",
        "fingerpost.auth.sso.driver", "OpenIDConnect",
        "fingerpost.auth.sso.issuer_id", "https://sso",
        "fingerpost.access.tenant_config", "/etc/fingerpost/tenants.yaml")::get);
    org.fingerpost.webapp.auth.AuthConfig auth = c.auth();
    assertEquals(2, auth.authenticators().size());
    assertEquals("https://sso", auth.authenticators().get(1).issuer());
    assertEquals("/etc/fingerpost/tenants.yaml", auth.access().tenantConfig().toString());
    assertTrue(WarConfig.of(Map.<String, String>of()::get).auth().authenticators().isEmpty());
  }

  @Test
  void webhookConnectionsFromParameterNames() {
    Map<String, String> params = Map.of(
        "fingerpost.connection.github.com.driver", "github",
        "fingerpost.connection.github.com.webhook_token", "s",
        "fingerpost.webhooks.max_body_bytes", "2048");
    org.fingerpost.webapp.webhooks.WebhookConnections w = new WarConfig(params::get).webhooks(params.keySet());
    assertEquals("s", w.connections().get("github.com").webhookToken());
    assertEquals(2048, w.maxBodyBytes());
  }
}
