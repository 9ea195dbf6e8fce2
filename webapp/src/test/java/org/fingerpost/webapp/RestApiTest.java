package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.zookeeper.CreateMode;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.fingerpost.registry.ComponentInfo;
import org.fingerpost.registry.ComponentRegistration;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API, health and metrics over real HTTP. */
class RestApiTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path jobDir;
  static WebCluster cluster;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    cluster = new WebCluster(jobDir, b -> b.zone("zone-a"));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(cluster.http(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"),
        response.headers().toString());
    return JSON.readTree(response.body());
  }

  @Test
  void infoNamesVersionZoneAndCapabilities() throws Exception {
    HttpResponse<String> r = get("/fingerpost/api/info");
    assertEquals(200, r.statusCode());
    JsonNode info = json(r);
    assertEquals("zone-a", info.get("zone").asText());
    assertFalse(info.get("version").asText().isEmpty());
    assertTrue(info.get("capabilities").toString().contains("console-stream"), info.toString());
    assertTrue(info.get("transports").toString().contains("finger"), info.toString());
  }

  @Test
  void componentsListTheRegistry() throws Exception {
    try (ComponentRegistration gw = new ComponentRegistration(cluster.registry,
        ComponentInfo.builder("fingergw", "gw.zone-b.example").state(ComponentState.RUNNING).zone("zone-b")
            .publicPort(7979).useSsl(true).build())) {
      gw.start();
      HttpResponse<String> r = get("/fingerpost/api/components");
      assertEquals(200, r.statusCode());
      JsonNode list = json(r);
      JsonNode found = null;
      for (JsonNode c : list) {
        if ("gw.zone-b.example".equals(c.path("hostname").asText())) {
          found = c;
        }
      }
      assertTrue(found != null, list.toString());
      assertEquals("fingergw", found.get("kind").asText());
      assertEquals("zone-b", found.get("zone").asText());
      assertEquals("running", found.get("state").asText());
      assertEquals(7979, found.get("public_port").asInt());
      assertTrue(found.get("tls").asBoolean());
      assertTrue(list.toString().contains("\"executor\""), "the streamer registers as an executor: " + list);
      assertTrue(list.toString().contains("\"web\""), "the web node registers as a web component: " + list);
    }
  }

  @Test
  void buildStreamRouteDirect() throws Exception {
    String uuid = WebCluster.newBuildId();
    cluster.startBuild(uuid, "x\n".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = get("/api/tenant/" + WebCluster.TENANT + "/build/" + uuid + "/stream");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode route = json(r);
    assertEquals("direct", route.get("route").asText());
    assertEquals("127.0.0.1", route.at("/worker/hostname").asText());
    assertEquals(cluster.streamer.port(), route.at("/target/port").asInt());
    assertEquals("finger", route.at("/target/transport").asText());
    cluster.endBuild(uuid);
  }

  @Test
  void buildStreamRouteThroughTheWorkersZoneGateway() throws Exception {
    String uuid = WebCluster.newBuildId();
    try (ComponentRegistration gw = new ComponentRegistration(cluster.registry,
        ComponentInfo.builder("fingergw", "gw.zone-b.example").state(ComponentState.RUNNING).zone("zone-b")
            .publicPort(7979).useSsl(false).build())) {
      gw.start();
      writeBuildNode("/zuul/executor/zones/zone-b/requests/" + uuid, "{\"uuid\": \"" + uuid
          + "\", \"state\": \"running\", \"tenant_name\": \"" + WebCluster.TENANT
          + "\", \"worker_info\": {\"hostname\": \"exec.zone-b.example\", \"log_port\": 7900, \"zone\": \"zone-b\"}}");
      JsonNode route = json(get("/api/tenant/" + WebCluster.TENANT + "/build/" + uuid + "/stream"));
      assertEquals("gateway", route.get("route").asText(), route.toString());
      assertEquals("gw.zone-b.example", route.at("/target/host").asText());
      assertEquals(7979, route.at("/target/port").asInt());
      assertEquals("zone-b", route.at("/worker/zone").asText());
      assertEquals("zone-a", route.get("web_zone").asText());
    }
  }

  @Test
  void buildNotStartedSaysSo() throws Exception {
    String uuid = WebCluster.newBuildId();
    writeBuildNode("/zuul/executor/unzoned/requests/" + uuid, "{\"uuid\": \"" + uuid
        + "\", \"state\": \"requested\", \"tenant_name\": \"" + WebCluster.TENANT + "\"}");
    HttpResponse<String> r = get("/api/tenant/" + WebCluster.TENANT + "/build/" + uuid + "/stream");
    assertEquals(200, r.statusCode());
    assertEquals("Build did not start yet", json(r).get("message").asText());
  }

  @Test
  void errorsAreJsonWithAMessage() throws Exception {
    HttpResponse<String> notFound = get("/api/tenant/nobody/build/abcdef0123/stream");
    assertEquals(404, notFound.statusCode());
    assertEquals("Build not found", json(notFound).get("message").asText());

    HttpResponse<String> invalid = get("/api/tenant/t/build/not-hex/stream");
    assertEquals(400, invalid.statusCode());
    assertEquals("Build ID not-hex is not valid", json(invalid).get("message").asText());

    HttpResponse<String> unknown = get("/api/nothing-here");
    assertEquals(404, unknown.statusCode());
    assertTrue(json(unknown).has("message"));
    assertFalse(unknown.body().contains("Exception"), unknown.body());
  }

  @Test
  void healthAndMetrics() throws Exception {
    // Zuul's answers, as on a monitoring listener (MonitoringAnswers): empty bodies, the state as text.
    HttpResponse<String> live = get("/health/live");
    assertEquals(200, live.statusCode());
    assertEquals("", live.body());
    HttpResponse<String> ready = get("/health/ready");
    assertEquals(200, ready.statusCode());
    assertEquals("", ready.body());
    assertTrue(ready.headers().firstValue("content-type").isEmpty(), ready.headers().toString());
    HttpResponse<String> status = get("/health/status");
    assertEquals("RUNNING", status.body());
    assertEquals(MonitoringAnswers.STATUS_CONTENT_TYPE, status.headers().firstValue("content-type").orElse(""));

    // One stream through the websocket so the counters have something to show.
    String uuid = WebCluster.newBuildId();
    cluster.startBuild(uuid, "counted\n".getBytes(StandardCharsets.UTF_8));
    WebSocketClient ws = WsClient.newClient();
    try {
      WsClient viewer = WsClient.open(ws, cluster.consoleStream(WebCluster.TENANT), uuid);
      Await.until("log", () -> viewer.text.toString().equals("counted\n"));
      HttpResponse<String> metrics = get("/metrics");
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
      String text = metrics.body();
      assertTrue(text.contains("fingerpost_streams_opened_total{route=\"direct\"}"), text);
      assertTrue(text.contains("fingerpost_streams_open "), text);
      assertTrue(text.contains("fingerpost_stream_bytes_total"), text);
      assertTrue(text.contains("fingerpost_stream_errors_total{kind=\"build_not_found\"}"), text);
      assertTrue(text.contains("fingerpost_web_websockets_open 1.0"), text);
      assertTrue(text.contains("fingerpost_registry_connected 1.0"), text);
      cluster.endBuild(uuid);
      viewer.awaitClose();
    } finally {
      ws.stop();
    }
  }

  @Test
  void pageIsServedAtRootAndBuildPath() throws Exception {
    HttpResponse<String> root = get("/");
    assertEquals(200, root.statusCode());
    assertTrue(root.body().contains("src=\"/static/app.js\""), root.body());
    HttpResponse<String> build = get("/t/" + WebCluster.TENANT + "/build/abc123");
    assertEquals(200, build.statusCode());
    assertTrue(build.headers().firstValue("content-type").orElse("").startsWith("text/html"));
    HttpResponse<String> js = get("/static/app.js");
    assertEquals(200, js.statusCode());
    assertTrue(js.body().contains("console-stream"));
    assertEquals(404, get("/static/app.class").statusCode());
    assertEquals(404, get("/static/missing.js").statusCode());
    assertTrue(get("/static/..%2Fpom.xml").statusCode() >= 400, "no path traversal");
  }

  private static void writeBuildNode(String path, String json) throws Exception {
    cluster.registry.curator().create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
        .forPath(path, json.getBytes(StandardCharsets.UTF_8));
    cluster.awaitSeen(path.substring(path.lastIndexOf('/') + 1));
  }
}
