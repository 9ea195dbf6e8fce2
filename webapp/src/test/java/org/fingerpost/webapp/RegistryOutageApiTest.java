package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.fingerpost.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every REST read of the registry answers 503 {@code Registry unavailable} while ZooKeeper cannot answer. */
class RegistryOutageApiTest {
  /** Fingerpost's own reads of the registry and Zuul's shapes of them. */
  private static final String[] PATHS = {"/fingerpost/api/components", "/fingerpost/api/tenant/t/builds",
      "/fingerpost/api/tenant/t/build/abc/stream", "/api/components", "/api/tenant/t/build/abc/stream"};
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode UNAVAILABLE = JSON.createObjectNode().put("message", "Registry unavailable");

  @TempDir
  Path jobDir;

  @Test
  void registryReadsAnswer503WhileZooKeeperIsDownAndServeAgainAfter() throws Exception {
    try (WebCluster cluster = WebCluster.start(jobDir)) {
      HttpClient http = HttpClient.newHttpClient();
      assertEquals(200, ReadinessTest.status(http, cluster, "/api/components"));
      cluster.zk.stop();
      Await.until("components 503", () -> ReadinessTest.status(http, cluster, "/api/components") == 503);
      for (String path : PATHS) {
        HttpResponse<String> r = ReadinessTest.send(http, cluster, path);
        assertEquals(503, r.statusCode(), path);
        assertEquals(UNAVAILABLE, JSON.readTree(r.body()), path);
      }
      cluster.zk.restart();
      Await.until("components 200", () -> ReadinessTest.status(http, cluster, "/api/components") == 200);
    }
  }
}
