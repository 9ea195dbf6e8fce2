package org.fingerpost.webapp.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ownership rule and the routing table's longest prefix and refusals. */
class OwnedPathsTest {
  final OwnedPaths owned = OwnedPaths.defaults(List.of("github")).build();

  @Test
  void alwaysOwnedPathsWithOrWithoutADefaultBackend() {
    for (boolean defaultBackend : new boolean[] {true, false}) {
      assertTrue(owned.owner("GET", "/api/tenant/t1/console-stream", defaultBackend).isPresent());
      assertTrue(owned.owner("GET", "/health/ready", defaultBackend).isPresent());
      assertTrue(owned.owner("GET", "/metrics", defaultBackend).isPresent());
      assertTrue(owned.owner("GET", "/fingerpost/api/info", defaultBackend).isPresent());
      assertTrue(owned.owner("GET", "/fingerpost", defaultBackend).isPresent());
      assertTrue(owned.owner("POST", "/api/connection/github/payload", defaultBackend).isPresent());
      assertFalse(owned.owner("GET", "/api/connection/github/payload", defaultBackend).isPresent());
      assertFalse(owned.owner("POST", "/api/connection/gitlab/payload", defaultBackend).isPresent());
      assertFalse(owned.owner("GET", "/api/tenant/t1/console-stream/x", defaultBackend).isPresent());
      assertFalse(owned.owner("GET", "/metrics/x", defaultBackend).isPresent());
    }
  }

  @Test
  void zuulShapedPathsAreOwnedOnlyWithoutADefaultBackend() {
    for (String path : List.of("/api/info", "/api/tenant/t1/info", "/api/components", "/t/t1/stream/abc")) {
      assertTrue(owned.owner("GET", path, false).isPresent(), path);
      assertFalse(owned.owner("GET", path, true).isPresent(), path);
    }
  }

  @Test
  void longestPrefixWinsAndSlashTakesTheRest() {
    Map<String, URI> routes = new LinkedHashMap<>();
    routes.put("/", URI.create("http://zuul-web:9000/"));
    routes.put("/api/", URI.create("http://api:1/"));
    routes.put("/api/tenant/", URI.create("http://tenant:1/"));
    RouteTable table = RouteTable.of(routes, owned);
    assertTrue(table.defaultBackend());
    assertEquals("/api/tenant/", table.match("/api/tenant/x/builds").prefix());
    assertEquals("/api/", table.match("/api/info").prefix());
    assertEquals("/api/", table.match("/api").prefix());
    assertEquals("/", table.match("/t/x/status").prefix());
    RouteTable none = RouteTable.of(Map.of("/nodepool/", URI.create("http://n:1/")), owned);
    assertNull(none.match("/other"));
  }

  @Test
  void aRouteInsideAnOwnedPathIsRefusedNamingBoth() {
    for (String prefix : List.of("/fingerpost/x/", "/fingerpost/", "/health/", "/metrics/", "/api/tenant/a/console-stream/",
        "/api/connection/github/payload/")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> RouteTable.of(Map.of("/", URI.create("http://z:9000/"), prefix, URI.create("http://b:1/")), owned), prefix);
      assertTrue(e.getMessage().contains("route " + prefix + "=http://b:1/ would shadow "), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RouteTable.of(Map.of("/health/", URI.create("http://b:1/")), owned));
    assertTrue(e.getMessage().contains("/health/** (health)"), e.getMessage());
    // Standalone, the Zuul-shaped paths are Fingerpost's: a route inside one is refused...
    IllegalArgumentException standalone = assertThrows(IllegalArgumentException.class,
        () -> RouteTable.of(Map.of("/t/x/stream/y/", URI.create("http://b:1/")), owned));
    assertTrue(standalone.getMessage().contains("/t/{tenant}/stream/{uuid}"), standalone.getMessage());
    // ... and one around them leaves them to Fingerpost (owned paths win); with a / route they are Zuul's.
    RouteTable.of(Map.of("/api/", URI.create("http://b:1/"), "/t/", URI.create("http://b:1/")), owned);
    RouteTable.of(Map.of("/", URI.create("http://z:1/"), "/t/x/stream/y/", URI.create("http://b:1/")), owned);
  }
}
