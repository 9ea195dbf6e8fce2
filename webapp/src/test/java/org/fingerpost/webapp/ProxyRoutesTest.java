package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The routing table against a real HTTP backend: one public URL fronting another service. */
class ProxyRoutesTest {
  @TempDir
  Path jobDir;

  @Test
  void prefixIsProxiedToItsBackendWithPathQueryAndBody() throws Exception {
    HttpServer backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String answer = "backend saw " + exchange.getRequestMethod() + " " + exchange.getRequestURI()
          + " body=" + new String(body, StandardCharsets.UTF_8);
      byte[] out = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/plain");
      exchange.sendResponseHeaders(201, out.length);
      exchange.getResponseBody().write(out);
      exchange.close();
    });
    backend.start();
    URI target = URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/");
    try (WebCluster cluster = new WebCluster(jobDir, b -> b.routes(Map.of("/nodepool/", target)))) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> get = http.send(HttpRequest.newBuilder(cluster.http("/nodepool/api/image-list?x=1"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(201, get.statusCode());
      assertEquals("backend saw GET /api/image-list?x=1 body=", get.body());

      HttpResponse<String> post = http.send(HttpRequest.newBuilder(cluster.http("/nodepool/hold"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("backend saw POST /hold body={\"a\":1}", post.body());

      // The web tier's own paths are untouched by the route.
      HttpResponse<String> info = http.send(HttpRequest.newBuilder(cluster.http("/fingerpost/api/info")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertTrue(info.body().contains("/nodepool/"), info.body());
    } finally {
      backend.stop(0);
    }
  }

  @Test
  void routesAreParsedAndCheckedWithClearErrors() {
    Map<String, URI> routes = WebSettings.parseRoutes("/nodepool/=http://nodepool:8005/, /grafana=https://g.example/");
    assertEquals(URI.create("http://nodepool:8005/"), routes.get("/nodepool/"));
    assertEquals(URI.create("https://g.example/"), routes.get("/grafana/"));
    // Zuul's own prefixes are routable now (issue 11); what Fingerpost owns is refused at start (RouteOwnershipTest).
    assertEquals(URI.create("http://zuul-web:9000/"), WebSettings.parseRoutes("/=http://zuul-web:9000/").get("/"));
    assertEquals(URI.create("http://x/"), WebSettings.parseRoutes("/api/=http://x/").get("/api/"));
    assertThrows(IllegalArgumentException.class, () -> WebSettings.parseRoutes("/x/=ftp://x/"));
    assertThrows(IllegalArgumentException.class, () -> WebSettings.parseRoutes("nodepool=http://x/"));
  }
}
