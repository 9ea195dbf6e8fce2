package org.fingerpost.packaging;

import org.fingerpost.config.ConfigException;
import org.fingerpost.config.ConfigLoader;
import org.fingerpost.config.Configuration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.fingerpost.gateway.Gateway;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.registry.Registry;
import org.fingerpost.transport.Transports;
import org.junit.jupiter.api.Test;

/** The gateway as {@code fingerpost gateway} starts it: the configuration decides every port it opens. */
class GatewayCommandTest {

  /** A configuration from the environment alone: ZooKeeper {@code zk}, then {@code base} and {@code pairs}. */
  static Configuration load(TestingServer zk, List<String> base, String... pairs) throws ConfigException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("FINGERPOST_ZOOKEEPER_HOSTS", zk.getConnectString());
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(pairs));
    for (int i = 0; i < all.size(); i += 2) {
      env.put(all.get(i), all.get(i + 1));
    }
    return ConfigLoader.yaml(null, env);
  }

  /** A gateway on a free port of 127.0.0.1, else with the defaults, plus {@code pairs}. */
  static Configuration gatewayConfig(TestingServer zk, String... pairs) throws ConfigException {
    return load(zk, List.of("FINGERPOST_FINGERGW_PORT", "0", "FINGERPOST_FINGERGW_LISTEN_ADDRESS", "127.0.0.1",
        "FINGERPOST_FINGERGW_HOSTNAME", "127.0.0.1"), pairs);
  }

  @Test
  void twoGatewaysWithTheDefaultsBothStartAndNeitherOpensAMonitoringListener() throws Exception {
    try (TestingServer zk = new TestingServer(true)) {
      Configuration file = gatewayConfig(zk);
      assertTrue(Monitoring.listener(file, "fingergw").isEmpty(), "no prometheus_port, no listener");
      try (Daemon first = new Daemon(); Daemon second = new Daemon()) {
        Wiring.Started<Gateway> a = GatewayCommand.start(file, first);
        Wiring.Started<Gateway> b = GatewayCommand.start(file, second);
        assertNull(a.monitoring());
        assertNull(b.monitoring());
        assertEquals(ComponentState.RUNNING, a.component().state());
        assertEquals(ComponentState.RUNNING, b.component().state());
        assertNotEquals(a.component().port(), b.component().port());
      }
    }
  }

  @Test
  void prometheusPortServesTheGatewaysStateAndMetrics() throws Exception {
    try (TestingServer zk = new TestingServer(true)) {
      Configuration file = gatewayConfig(zk, "FINGERPOST_FINGERGW_PROMETHEUS_PORT", "0",
          "FINGERPOST_FINGERGW_PROMETHEUS_ADDR", "127.0.0.1");
      try (Daemon daemon = new Daemon()) {
        Wiring.Started<Gateway> started = GatewayCommand.start(file, daemon);
        int port = MonitoringServerTest.assertReports(started, ComponentState.RUNNING);
        assertNotEquals(0, port, "the bound port");
        String metrics = MonitoringServerTest.get(port, "/metrics").body();
        assertTrue(metrics.contains("fingerpost_registry_connected 1.0"), metrics);
        assertTrue(metrics.contains("fingerpost_streams_open"), metrics);
        assertTrue(metrics.contains("fingerpost_shared_window_bytes 0.0"), metrics);

        started.component().close();
        MonitoringServerTest.assertReports(started, ComponentState.STOPPED);
      }
    }
  }

  @Test
  void aGatewayIsInitializingUntilStarted() throws Exception {
    try (TestingServer zk = new TestingServer(true)) {
      Configuration file = gatewayConfig(zk);
      try (Registry registry = Wiring.registry(file); Transports transports = Transports.of();
          Gateway gateway = new Gateway(DaemonSettings.gateway(file), registry, transports)) {
        assertEquals(ComponentState.INITIALIZING, gateway.state());
        gateway.close();
        assertEquals(ComponentState.STOPPED, gateway.state(), "closed without a start");
      }
    }
  }
}
