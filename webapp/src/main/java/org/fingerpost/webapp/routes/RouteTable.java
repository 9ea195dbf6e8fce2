package org.fingerpost.webapp.routes;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The routing table ({@code web.routes}) checked against what Fingerpost owns: a request goes to the
 * route with the longest prefix that matches it ({@code /nodepool/} matches {@code /nodepool} and
 * everything below), {@code /} matching every request (the default backend). Owned paths are
 * decided before routes ({@link OwnedPaths}); a route whose prefix lies inside an owned path is
 * refused when the table is made. Immutable and thread-safe.
 */
public final class RouteTable {
  /** The prefix of the default backend. */
  public static final String DEFAULT_PREFIX = "/";

  /**
   * One route.
   *
   * @param prefix starts and ends with {@code /}
   * @param target the backend's base URL
   */
  public record Route(String prefix, URI target) {
    /** Whether {@code path} (decoded, inside the context) is this route's. */
    public boolean matches(String path) {
      return prefix.equals(DEFAULT_PREFIX) || path.startsWith(prefix)
          || path.equals(prefix.substring(0, prefix.length() - 1));
    }
  }

  private final List<Route> routes;
  private final boolean defaultBackend;

  private RouteTable(List<Route> routes) {
    List<Route> sorted = new ArrayList<>(routes);
    sorted.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed());
    this.routes = List.copyOf(sorted);
    this.defaultBackend = routes.stream().anyMatch(r -> r.prefix().equals(DEFAULT_PREFIX));
  }

  /**
   * The table of {@code routes} (prefix to backend, as {@link RoutesSetting#parse} returns them).
   *
   * @throws IllegalArgumentException naming each route that lies inside an owned path and what it would shadow
   */
  public static RouteTable of(Map<String, URI> routes, OwnedPaths owned) {
    boolean defaultBackend = routes.containsKey(DEFAULT_PREFIX);
    List<String> refused = new ArrayList<>();
    List<Route> list = new ArrayList<>();
    for (Map.Entry<String, URI> e : routes.entrySet()) {
      List<OwnedPaths.Owned> inside = owned.shadowedBy(e.getKey(), defaultBackend);
      if (!inside.isEmpty()) {
        refused.add("route " + e.getKey() + "=" + e.getValue() + " would shadow "
            + inside.stream().map(Object::toString).collect(Collectors.joining(", ")));
      }
      list.add(new Route(e.getKey(), e.getValue()));
    }
    if (!refused.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", refused)
          + ": Fingerpost serves those paths itself; choose another prefix");
    }
    return new RouteTable(list);
  }

  /** Whether a {@code /} route exists. */
  public boolean defaultBackend() {
    return defaultBackend;
  }

  /** Routes, longest prefix first. */
  public List<Route> routes() {
    return routes;
  }

  /** The route of {@code path} (longest matching prefix), or null. */
  public Route match(String path) {
    for (Route r : routes) {
      if (r.matches(path)) {
        return r;
      }
    }
    return null;
  }
}
