package org.fingerpost.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fingerpost.config.ConfigException;
import org.fingerpost.config.ConfigLoader;
import org.fingerpost.config.Configuration;
import org.fingerpost.gateway.GatewaySettings;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.streamer.StreamerSettings;
import org.fingerpost.streams.LookupRateLimit;
import org.fingerpost.transport.finger.ConnectionLimits;
import org.fingerpost.webapp.NodeSettings;
import org.fingerpost.webapp.WebServer;
import org.fingerpost.webapp.WebSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15's limit keys, read from a file into each daemon's settings; and the monitoring listener's Server header. */
class LimitsConfigurationTest {
  @TempDir
  Path dir;

  private Configuration yaml(String text) throws Exception {
    return ConfigLoader.yaml(Files.writeString(dir.resolve("fingerpost.yaml"), text), Map.of());
  }

  @Test
  void defaults() throws Exception {
    Configuration c = yaml("executor:\n  job_dir: /tmp\n");
    GatewaySettings gw = DaemonSettings.gateway(c);
    assertEquals(ConnectionLimits.DEFAULT_MAX_CONNECTIONS, gw.connectionLimits().maxConnections());
    assertEquals(ConnectionLimits.DEFAULT_MAX_CONNECTIONS_PER_IP, gw.connectionLimits().maxConnectionsPerIp());
    assertEquals(ConnectionLimits.DEFAULT_ACCEPT_QUEUE, gw.connectionLimits().acceptQueue());
    assertEquals(LookupRateLimit.DEFAULT_PER_SECOND, gw.lookupRateLimit().perSecond());
    assertEquals(LookupRateLimit.DEFAULT_BURST, gw.lookupRateLimit().burst());
    assertEquals(ConnectionLimits.DEFAULT_MAX_CONNECTIONS, DaemonSettings.streamer(c).connectionLimits().maxConnections());
    assertEquals(WebServer.Limits.DEFAULTS, NodeSettings.webConnectionLimits(c));
    WebSettings web = NodeSettings.web(c);
    assertEquals(List.of(), web.consoleStreams().allowedOrigins());
    assertEquals(LookupRateLimit.DEFAULT_BURST, web.consoleStreams().lookups().burst());
  }

  @Test
  void fileValuesAreRead() throws Exception {
    Configuration c = yaml(""
        + "fingergw:\n  max_connections: 500\n  max_connections_per_ip: 20\n  accept_queue: 300\n"
        + "  lookup_rate: 2.5\n  lookup_burst: 9\n"
        + "executor:\n  job_dir: /tmp\n  max_connections: 600\n  max_connections_per_ip: 0\n  accept_queue: 400\n"
        + "web:\n  max_connections: 700\n  max_connections_per_ip: 30\n  accept_queue: 500\n"
        + "  lookup_rate: 0\n  allowed_origins: https://zuul.example.com, https://other.example\n");
    GatewaySettings gw = DaemonSettings.gateway(c);
    assertEquals(500, gw.connectionLimits().maxConnections());
    assertEquals(20, gw.connectionLimits().maxConnectionsPerIp());
    assertEquals(300, gw.connectionLimits().acceptQueue());
    assertEquals(2.5, gw.lookupRateLimit().perSecond());
    assertEquals(9, gw.lookupRateLimit().burst());
    StreamerSettings st = DaemonSettings.streamer(c);
    assertEquals(600, st.connectionLimits().maxConnections());
    assertEquals(0, st.connectionLimits().maxConnectionsPerIp());
    assertEquals(400, st.connectionLimits().acceptQueue());
    assertEquals(new WebServer.Limits(700, 30, 500), NodeSettings.webConnectionLimits(c));
    WebSettings web = NodeSettings.web(c);
    assertEquals(List.of("https://zuul.example.com", "https://other.example"), web.consoleStreams().allowedOrigins());
    assertEquals(0, web.consoleStreams().lookups().perSecond());
  }

  @Test
  void badValuesNameTheSectionAndKey() throws Exception {
    ConfigException e = assertThrows(ConfigException.class,
        () -> DaemonSettings.gateway(yaml("fingergw:\n  accept_queue: 0\n")));
    assertTrue(e.getMessage().contains("'fingergw'") && e.getMessage().contains("accept_queue"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> NodeSettings.web(yaml("web:\n  allowed_origins: zuul.example.com\n")));
    assertTrue(e.getMessage().contains("'web'") && e.getMessage().contains("allowed_origins"), e.getMessage());
  }

  @Test
  void theMonitoringListenerNamesNoVersion() throws Exception {
    try (MonitoringServer m = new MonitoringServer("127.0.0.1", 0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        () -> ComponentState.RUNNING)) {
      m.start();
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + m.port() + "/health/live")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertFalse(r.headers().firstValue("server").orElse("").contains(org.eclipse.jetty.util.Jetty.VERSION),
          r.headers().toString());
    }
  }
}
