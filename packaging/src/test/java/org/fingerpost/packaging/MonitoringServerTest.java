package org.fingerpost.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.curator.test.TestingServer;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistryConfig;
import org.fingerpost.registry.StreamMetrics;
import org.fingerpost.transport.StreamTarget;
import org.junit.jupiter.api.Test;

/** The daemons' monitoring endpoint over real HTTP, readiness following a real ZooKeeper connection. */
class MonitoringServerTest {
  static final Duration AWAIT = Duration.ofSeconds(20);
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  void awaitStatus(int port, String path, int status) throws Exception {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (get(port, path).statusCode() != status) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(path + " never answered " + status);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  @Test
  void healthFollowsTheRegistryAndMetricsArePrometheusText() throws Exception {
    try (TestingServer zk = new TestingServer(true);
        Registry registry = Registry.connect(RegistryConfig.builder(zk.getConnectString())
            .sessionTimeout(Duration.ofSeconds(4)).connectionTimeout(Duration.ofSeconds(5)).build())) {
      PrometheusMeterRegistry meters = Wiring.meters(registry);
      StreamMetrics streams = new StreamMetrics(meters);
      MonitoringServer server = Wiring.monitoring("127.0.0.1", 0, meters, registry);
      try {
        int port = server.port();
        assertEquals(200, get(port, "/health/live").statusCode());
        assertEquals(200, get(port, "/health/ready").statusCode());
        HttpResponse<String> metrics = get(port, "/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        assertTrue(metrics.body().contains("fingerpost_streams_opened_total{route=\"gateway\"} 0.0"), metrics.body());
        assertTrue(metrics.body().contains("fingerpost_registry_connected 1.0"), metrics.body());
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "JVM meters");
        assertEquals(0, streams.openedCount(StreamTarget.Route.GATEWAY));
        assertEquals(404, get(port, "/nothing").statusCode());

        zk.stop();
        awaitStatus(port, "/health/ready", 503);
        assertEquals(200, get(port, "/health/live").statusCode(), "alive while the registry is away");
        assertTrue(get(port, "/metrics").body().contains("fingerpost_registry_connected 0.0"));
        zk.restart();
        awaitStatus(port, "/health/ready", 200);
      } finally {
        server.close();
      }
    }
  }

  @Test
  void minusOneTurnsItOff() throws Exception {
    try (TestingServer zk = new TestingServer(true);
        Registry registry = Registry.connect(RegistryConfig.builder(zk.getConnectString()).build())) {
      assertEquals(null, Wiring.monitoring("127.0.0.1", MonitoringServer.DISABLED, Wiring.meters(registry), registry));
    }
  }
}
