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

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.fingerpost.webapp.WebSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebSettingsFromConfigurationTest {
  @TempDir
  Path dir;

  private Path yaml(String text) throws Exception {
    return Files.writeString(dir.resolve("fingerpost.yaml"), text);
  }

  @Test
  void defaultsMatchZuul() throws Exception {
    WebSettings web = NodeSettings.web(ConfigLoader.yaml(null, Map.of()));
    assertEquals("127.0.0.1", web.listenAddress());
    assertEquals(9000, web.port());
    assertNull(web.zone());
    assertEquals(1024 * 1024, web.sendBufferBytes());
    assertEquals(Duration.ofSeconds(20), web.pingInterval());
    assertTrue(web.routes().isEmpty());
  }

  @Test
  void fileAndEnvironmentValues() throws Exception {
    Configuration c = ConfigLoader.yaml(yaml("web:\n  listen_address: 0.0.0.0\n  port: 9100\n  zone: a\n"
        + "  send_buffer_bytes: 65536\n  max_request_bytes: 2048\n  ping_interval: 5\n  slow_client_timeout: 2.5\n"
        + "  lookup_threads: 4\n  routes: /nodepool/=http://nodepool:8005/\n"),
        Map.of("FINGERPOST_WEB_ZONE", "b"));
    WebSettings web = NodeSettings.web(c);
    assertEquals("0.0.0.0", web.listenAddress());
    assertEquals(9100, web.port());
    assertEquals("b", web.zone());
    assertEquals(65536, web.sendBufferBytes());
    assertEquals(2048, web.maxRequestBytes());
    assertEquals(Duration.ofSeconds(5), web.pingInterval());
    assertEquals(Duration.ofMillis(2500), web.slowClientTimeout());
    assertEquals(4, web.lookupThreads());
    assertEquals(Map.of("/nodepool/", URI.create("http://nodepool:8005/")), web.routes());
  }

  @Test
  void proxyKeys() throws Exception {
    org.fingerpost.webapp.routes.ProxySettings defaults = NodeSettings.web(ConfigLoader.yaml(null, Map.of())).proxy();
    assertEquals(Duration.ofMinutes(5), defaults.idleTimeout());
    assertEquals(1024L * 1024 * 1024, defaults.maxBodyBytes());
    assertEquals("fingerpost", defaults.via());
    org.fingerpost.webapp.routes.ProxySettings p = NodeSettings.web(ConfigLoader.yaml(yaml("web:\n  routes: /=http://zuul-web:9000/\n"
        + "  proxy_idle_timeout: 2.5\n  proxy_max_body_bytes: 1000\n  proxy_via: edge\n  proxy_access_log: true\n"),
        Map.of("FINGERPOST_WEB_TRUSTED_PROXIES", "10.0.0.0/8, ::1"))).proxy();
    assertEquals(Duration.ofMillis(2500), p.idleTimeout());
    assertEquals(1000, p.maxBodyBytes());
    assertEquals("edge", p.via());
    assertEquals(java.util.List.of("10.0.0.0/8", "::1"), p.trustedProxies());
    assertEquals(true, p.accessLog());
    ConfigException bad = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> NodeSettings.web(ConfigLoader.yaml(yaml("web:\n  trusted_proxies: proxy.example.com\n"), Map.of())));
    org.junit.jupiter.api.Assertions.assertTrue(bad.getMessage().contains("trusted_proxies entry 'proxy.example.com'"),
        bad.getMessage());
  }

  @Test
  void sharedUpstreamKeys() throws Exception {
    WebSettings defaults = NodeSettings.web(ConfigLoader.yaml(null, Map.of()));
    assertEquals(4L * 1024 * 1024, defaults.sharedWindowBytes());
    assertEquals(1024L * 1024, defaults.viewerBufferBytes());
    WebSettings web = NodeSettings.web(ConfigLoader.yaml(yaml("web:\n  shared_window_bytes: 1000\n  viewer_buffer_bytes: 2000\n"),
        Map.of()));
    assertEquals(1000, web.sharedWindowBytes());
    assertEquals(2000, web.viewerBufferBytes());
    Configuration bad = ConfigLoader.yaml(yaml("web:\n  viewer_buffer_bytes: 0\n"), Map.of());
    ConfigException e = assertThrows(ConfigException.class, () -> NodeSettings.web(bad));
    assertTrue(e.getMessage().contains("viewer_buffer_bytes"), e.getMessage());
  }

  @Test
  void websocketCompressionKey() throws Exception {
    assertFalse(NodeSettings.web(ConfigLoader.yaml(null, Map.of())).websocketCompression());
    assertTrue(NodeSettings.web(ConfigLoader.yaml(yaml("web:\n  websocket_compression: true\n"), Map.of()))
        .websocketCompression());
    assertTrue(NodeSettings.web(ConfigLoader.yaml(null, Map.of("FINGERPOST_WEB_WEBSOCKET_COMPRESSION", "true")))
        .websocketCompression());
  }

  @Test
  void badValuesNameTheSection() throws Exception {
    Configuration c = ConfigLoader.yaml(yaml("web:\n  routes: nodepool=ftp://x\n"), Map.of());
    ConfigException e = assertThrows(ConfigException.class, () -> NodeSettings.web(c));
    assertTrue(e.getMessage().contains("section 'web'"), e.getMessage());
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> ConfigLoader.yaml(yaml("web:\n  prot: 1\n"), Map.of()));
    assertTrue(unknown.getMessage().contains("section 'web', key 'prot'"), unknown.getMessage());
  }
}
