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
import org.fingerpost.webapp.routes.RouteTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filter at {@code /*} that decides who answers a request: what Fingerpost owns ({@link
 * org.fingerpost.webapp.routes.OwnedPaths}) goes down the filter chain to Fingerpost's servlets and
 * websocket endpoint; anything else that a route matches (longest prefix, {@code /} last) is
 * proxied — a websocket upgrade by {@link WebSocketRoute}, anything else by {@link
 * RouteProxyServlet}; the rest (no default backend) is Fingerpost's too. On the embedded server
 * {@link RouteHandler} proxies plain HTTP before the servlet layer, so there this filter sees only
 * the routes' websocket upgrades. Owns the proxy servlet and the websocket client (made in {@link
 * #init}, stopped in {@link #destroy}). Thread-safe.
 */
public final class RouteDispatch implements Filter {
  private static final Logger LOG = LoggerFactory.getLogger(RouteDispatch.class);

  private final Routes routes;
  private RouteProxyServlet proxy;
  private WebSocketClient wsClient;
  private WebSocketRoute websockets;

  private RouteDispatch(Routes routes) {
    this.routes = routes;
  }

  /** Registers the filter in {@code context}, which must still be initialising. */
  public static void install(ServletContext context, Routes routes) {
    FilterRegistration.Dynamic f = context.addFilter("fingerpost-routes", new RouteDispatch(routes));
    f.setAsyncSupported(true);
    f.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
  }

  @Override
  public void init(FilterConfig config) throws ServletException {
    proxy = new RouteProxyServlet(routes.settings, routes.metrics);
    proxy.init(servletConfig(config.getServletContext(), RouteProxyServlet.initParameters(routes.settings)));
    Object container = config.getServletContext().getAttribute(ServerContainer.class.getName());
    try {
      wsClient = newWebSocketClient();
    } catch (Exception e) {
      throw new ServletException("Cannot start the routes' websocket client", e);
    }
    websockets = container instanceof ServerContainer sc ? new WebSocketRoute(wsClient, sc, routes.settings, routes.metrics) : null;
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
    ws.setIdleTimeout(routes.settings.idleTimeout());
    ws.setConnectTimeout(RouteProxyServlet.CONNECT_TIMEOUT_MS);
    ws.setStopAtShutdown(false);
    ws.start();
    return ws;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse resp, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
    RouteTable.Route route = routes.routeOf(request.getMethod(), path);
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
