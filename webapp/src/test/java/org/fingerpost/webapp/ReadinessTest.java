package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /health/ready} follows the registry connection; {@code /health/live} does not. */
class ReadinessTest {
  @TempDir
  Path jobDir;

  @Test
  void notReadyWhileTheRegistryIsDown() throws Exception {
    try (WebCluster cluster = WebCluster.start(jobDir)) {
      HttpClient http = HttpClient.newHttpClient();
      assertEquals(200, status(http, cluster, "/health/ready"));
      cluster.zk.stop();
      Await.until("not ready", () -> status(http, cluster, "/health/ready") == 503);
      assertEquals(200, status(http, cluster, "/health/live"));
      cluster.zk.restart();
      Await.until("ready again", () -> status(http, cluster, "/health/ready") == 200);
    }
  }

  static int status(HttpClient http, WebCluster cluster, String path) {
    try {
      return http.send(HttpRequest.newBuilder(cluster.http(path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
