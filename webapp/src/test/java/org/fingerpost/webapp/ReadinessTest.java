package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.fingerpost.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web port's readiness is Zuul's (the one of {@link MonitoringAnswers}): {@code /health/ready}
 * follows the component's state, not the ZooKeeper connection; {@code fingerpost_registry_connected}
 * follows the connection.
 */
class ReadinessTest {
  @TempDir
  Path jobDir;

  @Test
  void readinessFollowsTheStateAndTheGaugeFollowsTheRegistry() throws Exception {
    try (WebCluster cluster = WebCluster.start(jobDir)) {
      HttpClient http = HttpClient.newHttpClient();
      assertEquals(200, status(http, cluster, "/health/ready"));
      cluster.zk.stop();
      Await.until("registry gauge 0", () -> metrics(http, cluster).contains("fingerpost_registry_connected 0.0"));
      assertEquals(200, status(http, cluster, "/health/ready"), "still running: Zuul's readiness");
      assertEquals(200, status(http, cluster, "/health/live"));
      cluster.zk.restart();
      Await.until("registry gauge 1", () -> metrics(http, cluster).contains("fingerpost_registry_connected 1.0"));
      assertEquals(200, status(http, cluster, "/health/ready"));
      cluster.services.close();
      assertEquals(503, status(http, cluster, "/health/ready"), "stopped");
      assertEquals("STOPPED", send(http, cluster, "/health/status").body());
    }
  }

  static int status(HttpClient http, WebCluster cluster, String path) {
    return send(http, cluster, path).statusCode();
  }

  static String metrics(HttpClient http, WebCluster cluster) {
    return send(http, cluster, "/metrics").body();
  }

  static HttpResponse<String> send(HttpClient http, WebCluster cluster, String path) {
    try {
      return http.send(HttpRequest.newBuilder(cluster.http(path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
