package org.fingerpost.webapp.routes.internal;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.server.ServerContainer;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.fingerpost.webapp.routes.OwnedPaths;
import org.fingerpost.webapp.routes.ProxySettings;
import org.fingerpost.webapp.routes.RouteTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter at {@code /*} that decides who answers a request: what Fingerpost owns ({@link
 * OwnedPaths}) goes down the filter chain to Fingerpost's servlets and websocket endpoint; anything
 * else that a route matches (longest prefix, {@code /} last) is proxied — a websocket upgrade by
 * {@link WebSocketRoute}, anything else by {@link RouteProxyServlet}; the rest (no default backend)
 * is Fingerpost's too. Owns the proxy servlet and the websocket client (made in {@link #init},
 * stopped in {@link #destroy}). Thread-safe.
 */
public final class RouteDispatch implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger(RouteDispatch.class);

  private final RouteTable table;
  private final OwnedPaths owned;
  private final ProxySettings settings;
  private final RouteMetrics metrics;
  private RouteProxyServlet proxy;
  private WebSocketClient wsClient;
  private WebSocketRoute websockets;

  private RouteDispatch(RouteTable table, OwnedPaths owned, ProxySettings settings, RouteMetrics metrics) {
    this.table = table;
    this.owned = owned;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** Registers the filter in {@code context}, which must still be initialising; logs the table. */
  public static void install(ServletContext context, RouteTable table, OwnedPaths owned, ProxySettings settings,
      RouteMetrics metrics) {
    metrics.register(table);
    FilterRegistration.Dynamic f = context.addFilter("fingerpost-routes", new RouteDispatch(table, owned, settings, metrics));
    f.setAsyncSupported(true);
    f.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    for (RouteTable.Route r : table.routes()) {
      LOG.info("Route {} -> {}", r.prefix(), r.target());
    }
    LOG.info("Fingerpost keeps {}", owned.all().stream()
        .filter(o -> o.scope() == OwnedPaths.Scope.ALWAYS || !table.defaultBackend()).map(Object::toString).toList());
  }

  @Override
  public void init(FilterConfig config) throws ServletException {
    proxy = new RouteProxyServlet(settings, metrics);
    proxy.init(servletConfig(config.getServletContext(), RouteProxyServlet.initParameters(settings)));
    Object container = config.getServletContext().getAttribute(ServerContainer.class.getName());
    try {
      wsClient = newWebSocketClient();
    } catch (Exception e) {
      throw new ServletException("Cannot start the routes' websocket client", e);
    }
    websockets = container instanceof ServerContainer sc ? new WebSocketRoute(wsClient, sc, settings, metrics) : null;
  }

  private WebSocketClient newWebSocketClient() throws Exception {
    HttpClient http = new HttpClient();
    http.setHttpCookieStore(new HttpCookieStore.Empty()); // never one user's cookies on another's request
    http.setFollowRedirects(false);
    http.setUserAgentField(null);
    http.setConnectTimeout(RouteProxyServlet.CONNECT_TIMEOUT_MS);
    QueuedThreadPool threads = new QueuedThreadPool(RouteProxyServlet.CLIENT_THREADS);
    threads.setName("fingerpost-route-ws");
    threads.setDaemon(true);
    http.setExecutor(threads);
    WebSocketClient ws = new WebSocketClient(http);
    ws.setIdleTimeout(settings.idleTimeout());
    ws.setConnectTimeout(RouteProxyServlet.CONNECT_TIMEOUT_MS);
    ws.setStopAtShutdown(false);
    ws.start();
    return ws;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    if (path.isEmpty()) {
      path = "/";
    }
    RouteTable.Route route = owned.owner(request.getMethod(), path, table.defaultBackend()).isPresent()
        ? null : table.match(path);
    if (route == null) {
      chain.doFilter(req, resp);
    } else if (websockets != null && WebSocketRoute.isUpgrade(request)) {
      request.setAttribute(RouteProxyServlet.ROUTE, route);
      String target = proxy.target(request);
      if (target == null) {
        ((HttpServletResponse) resp).sendError(HttpServletResponse.SC_BAD_REQUEST);
        return;
      }
      websockets.proxy(request, (HttpServletResponse) resp, route, URI.create(target.replaceFirst("^http", "ws")));
    } else {
      request.setAttribute(RouteProxyServlet.ROUTE, route);
      proxy.service(req, resp);
    }
  }

  @Override
  public void destroy() {
    if (proxy != null) {
      proxy.destroy();
    }
    if (wsClient != null) {
      try {
        wsClient.stop();
      } catch (Exception e) {
        LOG.debug("Stopping the routes' websocket client failed: {}", e.toString());
      }
    }
  }

  private static ServletConfig servletConfig(ServletContext context, Map<String, String> params) {
    return new ServletConfig() {
      @Override
      public String getServletName() {
        return "fingerpost-route-proxy";
      }

      @Override
      public ServletContext getServletContext() {
        return context;
      }

      @Override
      public String getInitParameter(String name) {
        return params.get(name);
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(params.keySet());
      }
    };
  }
}
