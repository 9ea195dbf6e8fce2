package org.fingerpost.webapp;

import org.fingerpost.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.CreateMode;
import org.fingerpost.webapp.internal.RestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The path layout of docs/web-tier.md "Paths": Fingerpost's own endpoints under /fingerpost/, and, on a
 * standalone web tier, Zuul's shapes at Zuul's paths (zuul/web/__init__.py info, tenant_info,
 * components; zuul/model.py WebInfo.toDict) and the page at Zuul's live-log path.
 */
class ZuulShapesTest {
  @TempDir
  static Path jobDir;
  static WebCluster cluster;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    cluster = WebCluster.start(jobDir);
  }

  @AfterAll
  static void stop() throws Exception {
    cluster.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(cluster.http(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static List<String> keys(JsonNode node) {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void infoHasZuulsShape() throws Exception {
    HttpResponse<String> r = get("/api/info");
    assertEquals(200, r.statusCode());
    assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    JsonNode root = RestApiTest.JSON.readTree(r.body());
    assertEquals(List.of("info"), keys(root));
    JsonNode info = root.get("info");
    assertEquals(List.of("capabilities", "websocket_url", "stats"), keys(info));
    assertTrue(info.get("websocket_url").isNull());
    assertFalse(info.at("/capabilities/job_history").asBoolean(true));
    assertTrue(info.at("/capabilities/auth/realms").isObject(), info.toString());
    assertTrue(info.at("/capabilities/auth").has("default_realm"), "Zuul writes default_realm even when null");
    assertFalse(info.at("/capabilities/auth/read_protected").asBoolean(true));
    assertEquals(List.of("prefix", "type", "url"), keys(info.get("stats")));
    assertEquals("graphite", info.at("/stats/type").asText());
    assertTrue(info.at("/stats/prefix").isNull() && info.at("/stats/url").isNull());

    JsonNode tenant = RestApiTest.JSON.readTree(get("/api/tenant/" + WebCluster.TENANT + "/info").body()).get("info");
    assertEquals(List.of("capabilities", "websocket_url", "stats", "tenant"), keys(tenant));
    assertEquals(WebCluster.TENANT, tenant.get("tenant").asText());
  }

  @Test
  void componentsAreADictByKind() throws Exception {
    JsonNode components = RestApiTest.JSON.readTree(get("/api/components").body());
    assertTrue(components.isObject(), components.toString());
    JsonNode executor = components.get("executor").get(0);
    assertEquals(List.of("hostname", "state", "version"), keys(executor));
    assertEquals("127.0.0.1", executor.get("hostname").asText());
    assertTrue(components.get("web").isArray(), "the web node itself: " + components);
    assertFalse(components.has("scheduler"), "kinds without components are left out, as in Zuul");
  }

  @Test
  void runningBuildsOfATenant() throws Exception {
    String zuulBuild = WebCluster.newBuildId();
    write("/zuul/executor/zones/zone-b/requests/" + zuulBuild, "{\"uuid\": \"" + zuulBuild + "\", \"state\": \"running\","
        + " \"request_time\": 1700000000.5, \"zone\": \"zone-b\", \"job_name\": \"tox-py311\", \"tenant_name\": \""
        + WebCluster.TENANT + "\", \"pipeline_name\": \"check\", \"worker_info\": {\"hostname\": \"ze04.example.org\","
        + " \"log_port\": 7900, \"zone\": \"zone-b\"}}");
    String done = WebCluster.newBuildId();
    write("/zuul/executor/unzoned/requests/" + done, "{\"uuid\": \"" + done + "\", \"state\": \"completed\","
        + " \"tenant_name\": \"" + WebCluster.TENANT + "\"}");
    String other = WebCluster.newBuildId();
    write("/zuul/executor/unzoned/requests/" + other, "{\"uuid\": \"" + other + "\", \"state\": \"running\","
        + " \"tenant_name\": \"someone-else\"}");
    String streamed = WebCluster.newBuildId();
    cluster.startBuild(streamed, "x\n".getBytes(StandardCharsets.UTF_8));
    String path = "/fingerpost/api/tenant/" + WebCluster.TENANT + "/builds";
    Await.until("both builds listed", () -> body(path).contains(zuulBuild) && body(path).contains(streamed));
    JsonNode builds = RestApiTest.JSON.readTree(body(path));
    assertFalse(builds.toString().contains(done), "completed builds are left out");
    assertFalse(builds.toString().contains(other), "other tenants' builds are left out");
    JsonNode first = builds.get(0);
    assertEquals(zuulBuild, first.get("uuid").asText(), "oldest first: " + builds);
    assertEquals("tox-py311", first.get("job").asText());
    assertEquals("check", first.get("pipeline").asText());
    assertTrue(first.path("project").isNull() || first.path("project").isMissingNode(), "Zuul's requests have none");
    assertEquals("running", first.get("state").asText());
    assertEquals("zone-b", first.get("zone").asText());
    assertEquals("ze04.example.org", first.get("executor").asText());
    assertTrue(first.get("elapsed").asLong() > 86_400, "since request_time (2023): " + first);
    cluster.endBuild(streamed);
  }

  @Test
  void pagesAtFingerpostsAndZuulsPaths() throws Exception {
    for (String path : List.of("/fingerpost/", "/fingerpost", "/fingerpost/t/" + WebCluster.TENANT + "/",
        "/fingerpost/t/" + WebCluster.TENANT + "/build/abc123",
        "/t/" + WebCluster.TENANT + "/stream/abc123?logfile=console.log")) {
      HttpResponse<String> page = get(path);
      assertEquals(200, page.statusCode(), path);
      assertTrue(page.body().contains("src=\"/fingerpost/static/app.js\""), path + ": " + page.body());
      assertTrue(page.body().contains("data-root=\"/\""), page.body());
    }
    assertTrue(get("/fingerpost/static/lines.js").body().contains("data-n"));
    assertEquals(404, get("/fingerpost/static/missing.js").statusCode());
  }

  /** With a default route, Zuul's paths are the backend's: none of them is registered here. */
  @Test
  void aDefaultRouteTakesZuulsPaths() throws Exception {
    try (WebServices fronting = new WebServices(WebSettings.builder().port(0)
        .routes(Map.of("/", URI.create("http://zuul-web.example:9000/"))).build(), cluster.registry, cluster.transports)) {
      List<String> resources = new ArrayList<>();
      RestApplication.create(fronting).getInstances().forEach(o -> resources.add(o.getClass().getSimpleName()));
      assertTrue(resources.contains("ApiResource") && resources.contains("PageResource"), resources.toString());
      assertFalse(resources.contains("ZuulApiResource"), resources.toString());
      assertFalse(resources.contains("StandalonePageResource"), resources.toString());
      assertFalse(RestApplication.isStandalone(fronting));
    }
    assertTrue(RestApplication.isStandalone(cluster.services));
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> org.fingerpost.webapp.routes.RouteTable.of(WebSettings.parseRoutes("/fingerpost/=http://elsewhere/"),
            org.fingerpost.webapp.routes.OwnedPaths.defaults(List.of()).build()));
    assertTrue(e.getMessage().contains("would shadow /fingerpost/"), e.getMessage());
  }

  static String body(String path) {
    try {
      return get(path).body();
    } catch (Exception e) {
      return "";
    }
  }

  static void write(String path, String json) throws Exception {
    cluster.registry.curator().create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
        .forPath(path, json.getBytes(StandardCharsets.UTF_8));
  }
}
