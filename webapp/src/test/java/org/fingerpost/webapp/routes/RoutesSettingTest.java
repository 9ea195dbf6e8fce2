package org.fingerpost.webapp.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutesSettingTest {
  @Test
  void entriesKeepTheirOrderAndEveryPrefixEndsInASlash() {
    Map<String, URI> routes = RoutesSetting.parse(" /nodepool/=http://nodepool:8005/ ,, /grafana/dash=https://g.example/,/=http://zuul-web:9000/");
    assertEquals(List.of("/nodepool/", "/grafana/dash/", "/"), List.copyOf(routes.keySet()));
    assertEquals(URI.create("https://g.example/"), routes.get("/grafana/dash/"));
    assertEquals(URI.create("http://zuul-web:9000/"), routes.get("/"));
  }

  @Test
  void blankOrNullIsNoRoute() {
    assertTrue(RoutesSetting.parse(null).isEmpty());
    assertTrue(RoutesSetting.parse("  ").isEmpty());
  }

  @Test
  void eachBadEntryIsNamedInItsError() {
    assertEquals("route 'nodepool' must be /prefix/=http://host:port/",
        assertThrows(IllegalArgumentException.class, () -> RoutesSetting.parse("nodepool")).getMessage());
    assertEquals("route prefix 'nodepool' must look like /name/ (or / for the default backend)",
        assertThrows(IllegalArgumentException.class, () -> RoutesSetting.parse("nodepool=http://x/")).getMessage());
    assertEquals("route prefix '/a b/' must look like /name/ (or / for the default backend)",
        assertThrows(IllegalArgumentException.class, () -> RoutesSetting.parse("/a b/=http://x/")).getMessage());
    assertEquals("route target 'ftp://x/' must be an http(s)://host[:port]/ URL",
        assertThrows(IllegalArgumentException.class, () -> RoutesSetting.parse("/x/=ftp://x/")).getMessage());
    assertEquals("route target 'http:///nohost' must be an http(s)://host[:port]/ URL",
        assertThrows(IllegalArgumentException.class, () -> RoutesSetting.parse("/x/=http:///nohost")).getMessage());
    assertEquals("route target 'http://x y/' is not a URI",
        assertThrows(IllegalArgumentException.class, () -> RoutesSetting.parse("/x/=http://x y/")).getMessage());
  }
}
