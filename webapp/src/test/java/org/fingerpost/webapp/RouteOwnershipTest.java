package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fingerpost.testing.Await;
import org.fingerpost.webapp.auth.AuthSettings;
import org.fingerpost.webapp.routes.ProxySettings;
import org.fingerpost.webapp.webhooks.WebhookConnections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Default-backend and standalone modes end to end, refused shadowing at start, per-route metrics and access log. */
class RouteOwnershipTest {
  @TempDir
  Path jobDir;
  final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(WebCluster web, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(web.http(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(WebCluster web, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(web.http(path)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withADefaultBackendFingerpostKeepsOnlyWhatItOwns() throws Exception {
    WebhookConnections hooks = WebhookConnections.fromSections(Map.of("connection gitlab",
        Map.of("driver", "gitlab", "webhook_token", "t")));
    try (RouteBackend backend = new RouteBackend()) {
      Map<String, URI> routes = new LinkedHashMap<>();
      routes.put("/", backend.uri().resolve("/echo/root/"));
      routes.put("/nodepool/", backend.uri().resolve("/echo/nodepool/"));
      ListAppender<ILoggingEvent> log = new ListAppender<>();
      log.start();
      Logger access = (Logger) LoggerFactory.getLogger("org.fingerpost.webapp.routes.internal.AccessLog");
      access.addAppender(log);
      try (WebCluster web = new WebCluster(jobDir, b -> b.routes(routes).proxy(ProxySettings.builder().accessLog(true)
          .build()), AuthSettings.defaults(), hooks)) {
        assertFalse(web.web.resumesInline(), "the access log writes, so the server blocks");
        assertTrue(get(web, "/api/info").body().startsWith("GET /echo/root/api/info\n"), "Zuul's /api/info is zuul-web's");
        assertTrue(get(web, "/t/tenant-one/status").body().startsWith("GET /echo/root/t/tenant-one/status\n"));
        assertTrue(get(web, "/nodepool/x").body().startsWith("GET /echo/nodepool/x\n"), "longest prefix");
        assertEquals(200, get(web, "/health/ready").statusCode());
        assertEquals("", get(web, "/health/ready").body());
        assertTrue(get(web, "/metrics").body().contains("fingerpost_web_route_requests_total"));
        HttpResponse<String> hook = post(web, "/api/connection/gitlab/payload");
        assertEquals(401, hook.statusCode(), "the configured connection's webhook is Fingerpost's");
        assertTrue(post(web, "/api/connection/other/payload").body().startsWith("POST /echo/root/api/connection/other/payload\n"));
        assertTrue(get(web, "/api/connection/gitlab/payload").body().startsWith("GET /echo/root/"));
        assertTrue(!get(web, "/fingerpost/nothing-here").body().startsWith("GET "), "under /fingerpost/ is Fingerpost's");

        String metrics = get(web, "/metrics").body();
        assertTrue(metrics.contains("fingerpost_web_route_requests_total{route=\"/\",status=\"2xx\"}"), metrics);
        assertTrue(metrics.contains("fingerpost_web_route_requests_total{route=\"/nodepool/\",status=\"2xx\"} 1.0"), metrics);
        assertTrue(metrics.contains("fingerpost_web_route_bytes_total{direction=\"sent\",route=\"/nodepool/\"}"), metrics);
        assertTrue(metrics.contains("fingerpost_web_route_latency_seconds_bucket{route=\"/nodepool/\""), metrics);
        assertTrue(metrics.contains("fingerpost_web_route_duration_seconds_count{route=\"/nodepool/\"} 1"), metrics);
        Await.until("access log line", () -> log.list.stream().anyMatch(e -> e.getFormattedMessage()
            .matches("route=/nodepool/ method=GET path=/nodepool/x status=200 received=0 sent=\\d+ duration_ms=\\d+ peer=127.0.0.1")));
      } finally {
        access.detachAppender(log);
      }
    }
  }

  @Test
  void standaloneFingerpostKeepsZuulShapesInsideARoute() throws Exception {
    try (RouteBackend backend = new RouteBackend();
         WebCluster web = new WebCluster(jobDir, b -> b.routes(Map.of("/api/", backend.uri().resolve("/echo/")))
             .proxy(ProxySettings.builder().build()))) {
      HttpResponse<String> info = get(web, "/api/info");
      assertEquals(200, info.statusCode());
      assertTrue(info.body().startsWith("{") && !info.body().startsWith("GET "), "Fingerpost's own /api/info wins over /api/");
      assertTrue(get(web, "/api/builds").body().startsWith("GET /echo/builds\n"));
    }
  }

  @Test
  void aRouteThatWouldShadowAnOwnedPathStopsTheStart() {
    Exception e = assertThrows(Exception.class, () -> new WebCluster(jobDir,
        b -> b.routes(Map.of("/metrics/", URI.create("http://127.0.0.1:1/")))).close());
    Throwable t = e;
    while (t.getCause() != null && !t.getMessage().contains("would shadow")) {
      t = t.getCause();
    }
    assertTrue(t.getMessage().contains("route /metrics/=http://127.0.0.1:1/ would shadow /metrics (metrics)"), t.getMessage());
  }
}
