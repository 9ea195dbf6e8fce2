package org.fingerpost.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.fingerpost.registry.ComponentState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The monitoring listener over real HTTP: every path and answer of Zuul's {@code monitoring.py}. */
class MonitoringServerTest {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /** {@code method path} on the monitoring listener at {@code 127.0.0.1:port}. */
  static HttpResponse<String> send(int port, String method, String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(TIMEOUT)
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return send(port, "GET", path);
  }

  static Optional<String> contentType(HttpResponse<String> response) {
    return response.headers().firstValue("content-type");
  }

  /**
   * Asserts that the listener {@code started} opened answers for a component in {@code expected}:
   * {@code /health/ready} and {@code /health/status}; returns its port.
   */
  static int assertReports(Wiring.Started<?> started, ComponentState expected) throws Exception {
    assertNotNull(started.monitoring(), "a monitoring listener");
    int port = started.monitoring().port();
    boolean ready = expected == ComponentState.RUNNING || expected == ComponentState.PAUSED;
    assertEquals(ready ? 200 : 503, get(port, "/health/ready").statusCode(), expected.name());
    assertEquals(expected.name(), get(port, "/health/status").body());
    return port;
  }

  final AtomicReference<ComponentState> state = new AtomicReference<>(ComponentState.INITIALIZING);
  PrometheusMeterRegistry meters;
  MonitoringServer server;

  @BeforeEach
  void start() throws Exception {
    meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Counter.builder("fingerpost.test.probes").register(meters).increment();
    server = new MonitoringServer("127.0.0.1", 0, meters, state::get);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void readyIs200WhileRunningOrPausedElse503() throws Exception {
    int port = server.port();
    assertEquals(503, get(port, "/health/ready").statusCode(), "initializing");
    state.set(ComponentState.RUNNING);
    assertEquals(200, get(port, "/health/ready").statusCode(), "running");
    state.set(ComponentState.PAUSED);
    assertEquals(200, get(port, "/health/ready").statusCode(), "paused");
    state.set(ComponentState.RUNNING);
    assertEquals(200, get(port, "/health/ready").statusCode(), "running again");
    state.set(ComponentState.STOPPED);
    HttpResponse<String> stopped = get(port, "/health/ready");
    assertEquals(503, stopped.statusCode(), "stopped");
    assertEquals("", stopped.body());
    assertEquals(Optional.empty(), contentType(stopped));
  }

  @Test
  void liveIsAlways200AndStatusIsTheStateUpperCased() throws Exception {
    for (ComponentState s : ComponentState.values()) {
      state.set(s);
      HttpResponse<String> live = get(server.port(), "/health/live");
      assertEquals(200, live.statusCode(), s.name());
      assertEquals("", live.body(), s.name());
      assertEquals(Optional.empty(), contentType(live), "Zuul sends no content type: " + s);
      HttpResponse<String> status = get(server.port(), "/health/status");
      assertEquals(200, status.statusCode(), s.name());
      assertEquals(s.name(), status.body(), "upper case, no newline");
      assertEquals(Optional.of(MonitoringServer.STATUS_CONTENT_TYPE), contentType(status));
    }
  }

  @Test
  void metricsAndRootArePrometheusText() throws Exception {
    for (String path : new String[] {"/metrics", "/"}) {
      HttpResponse<String> metrics = get(server.port(), path);
      assertEquals(200, metrics.statusCode(), path);
      assertEquals(Optional.of(MonitoringServer.METRICS_CONTENT_TYPE), contentType(metrics), path);
      assertTrue(metrics.body().contains("# TYPE fingerpost_test_probes_total counter"), metrics.body());
      assertTrue(metrics.body().contains("fingerpost_test_probes_total 1.0"), metrics.body());
    }
  }

  @Test
  void anyOtherPathIs404WithAnEmptyBody() throws Exception {
    state.set(ComponentState.RUNNING);
    for (String path : new String[] {"/health", "/health/", "/health/live/", "/health/ready/x", "/metrics/",
        "/HEALTH/LIVE", "/nothing", "/api/info"}) {
      HttpResponse<String> r = get(server.port(), path);
      assertEquals(404, r.statusCode(), path);
      assertEquals("", r.body(), path);
    }
  }

  @Test
  void theAnswerDependsOnThePathAloneNotOnMethodOrQuery() throws Exception {
    state.set(ComponentState.PAUSED);
    int port = server.port();
    assertEquals(200, send(port, "POST", "/health/live").statusCode());
    assertEquals(200, send(port, "DELETE", "/health/ready").statusCode());
    assertEquals("PAUSED", send(port, "PUT", "/health/status").body());
    assertEquals(404, send(port, "POST", "/nothing").statusCode());
    assertEquals(200, get(port, "/health/ready?verbose=1").statusCode(), "the query is not part of the path");
  }

  @Test
  void aPortInUseFailsTheStart() throws Exception {
    MonitoringServer second = new MonitoringServer("127.0.0.1", server.port(), meters, state::get);
    try {
      IOException e = assertThrows(IOException.class, second::start);
      assertTrue(e.getMessage().contains(Integer.toString(server.port())), e.getMessage());
    } finally {
      second.close();
    }
  }
}
