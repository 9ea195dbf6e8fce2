package org.fingerpost.webapp.routes.internal;

import java.util.Objects;
import org.fingerpost.webapp.routes.OwnedPaths;
import org.fingerpost.webapp.routes.ProxySettings;
import org.fingerpost.webapp.routes.RouteTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of one web node: the table, what Fingerpost owns, how requests are proxied and the
 * meters. One instance serves both ways in: the servlet filter {@link RouteDispatch} (every
 * container; websocket upgrades everywhere) and, on the embedded server, {@link RouteHandler}
 * before the servlet layer, so each route has one set of meters. Immutable apart from the meters;
 * thread-safe.
 */
public final class Routes {
  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

  final RouteTable table;
  final OwnedPaths owned;
  final ProxySettings settings;
  final RouteMetrics metrics;

  private Routes(RouteTable table, OwnedPaths owned, ProxySettings settings, RouteMetrics metrics) {
    this.table = Objects.requireNonNull(table, "table");
    this.owned = Objects.requireNonNull(owned, "owned");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** The routes of {@code table}; registers their meters and logs the table and what Fingerpost keeps. */
  public static Routes of(RouteTable table, OwnedPaths owned, ProxySettings settings, RouteMetrics metrics) {
    metrics.register(table);
    for (RouteTable.Route r : table.routes()) {
      LOG.info("Route {} -> {}", r.prefix(), r.target());
    }
    LOG.info("Fingerpost keeps {}", owned.all().stream()
        .filter(o -> o.scope() == OwnedPaths.Scope.ALWAYS || !table.defaultBackend()).map(Object::toString).toList());
    return new Routes(table, owned, settings, metrics);
  }

  /**
   * The route that takes a request, or null when Fingerpost answers it itself (an owned path, or no
   * route matches).
   *
   * @param path the decoded path inside the context; empty means {@code /}
   */
  RouteTable.Route routeOf(String method, String path) {
    String p = path.isEmpty() ? "/" : path;
    return owned.owner(method, p, table.defaultBackend()).isPresent() ? null : table.match(p);
  }

  /**
   * The backend URL of a request on {@code route}: the route's target, the raw path after the
   * prefix, and the query. Null when the raw path spells the prefix otherwise (escapes), which the
   * caller refuses with 400.
   *
   * @param rawPath the path as the client sent it (not decoded), inside the context
   * @param query the raw query, or null
   */
  static String target(RouteTable.Route route, String rawPath, String query) {
    String prefix = route.prefix();
    String rest;
    if (rawPath.startsWith(prefix)) {
      rest = rawPath.substring(prefix.length());
    } else if (rawPath.equals(prefix.substring(0, prefix.length() - 1))) {
      rest = "";
    } else {
      return null;
    }
    String base = route.target().toString();
    return (base.endsWith("/") ? base : base + "/") + rest + (query == null ? "" : "?" + query);
  }
}
