package org.fingerpost.packaging;

import org.fingerpost.config.ConfigException;
import org.fingerpost.config.Configuration;
import org.fingerpost.webapp.NodeSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.curator.test.TestingServer;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.registry.Registry;
import org.fingerpost.transport.Transports;
import org.fingerpost.webapp.WebServer;
import org.fingerpost.webapp.WebServices;
import org.junit.jupiter.api.Test;

/** The web tier as {@code fingerpost web} starts it: a monitoring listener only with {@code web.prometheus_port}. */
class WebCommandTest {

  static Configuration webConfig(TestingServer zk, String... pairs) throws ConfigException {
    return GatewayCommandTest.load(zk, java.util.List.of("FINGERPOST_WEB_PORT", "0"), pairs);
  }

  @Test
  void withTheDefaultsNoMonitoringListener() throws Exception {
    try (TestingServer zk = new TestingServer(true); Daemon daemon = new Daemon()) {
      Wiring.Started<WebServer> started = WebCommand.start(webConfig(zk), daemon);
      assertNull(started.monitoring());
      assertTrue(started.component().port() > 0);
    }
  }

  @Test
  void prometheusPortServesTheWebNodesStateAndMetrics() throws Exception {
    try (TestingServer zk = new TestingServer(true); Daemon daemon = new Daemon()) {
      Wiring.Started<WebServer> started = WebCommand.start(webConfig(zk,
          "FINGERPOST_WEB_PROMETHEUS_PORT", "0", "FINGERPOST_WEB_PROMETHEUS_ADDR", "127.0.0.1"), daemon);
      int port = MonitoringServerTest.assertReports(started, ComponentState.RUNNING);
      assertEquals(200, MonitoringServerTest.get(port, "/health/live").statusCode());
      String metrics = MonitoringServerTest.get(port, "/metrics").body();
      assertTrue(metrics.contains("fingerpost_web_websockets_open"), metrics);
    }
  }

  @Test
  void webServicesAreInitializingUntilRegisteredAndStoppedOnceClosed() throws Exception {
    try (TestingServer zk = new TestingServer(true)) {
      Configuration file = webConfig(zk);
      try (Registry registry = Wiring.registry(file); Transports transports = Transports.of()) {
        WebServices services = new WebServices(NodeSettings.web(file), registry, transports);
        assertEquals(ComponentState.INITIALIZING, services.state());
        services.register();
        assertEquals(ComponentState.RUNNING, services.state());
        services.close();
        assertEquals(ComponentState.STOPPED, services.state());
      }
    }
  }
}
