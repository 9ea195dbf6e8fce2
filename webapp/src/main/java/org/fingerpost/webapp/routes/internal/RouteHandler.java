package org.fingerpost.webapp.routes.internal;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.fingerpost.webapp.internal.InlineHandler;
import org.fingerpost.webapp.routes.RouteTable;

/**
 * The embedded server's routes, in front of its servlet context: a request a route takes is proxied
 * on Jetty's core API by {@link RouteProxyHandler}, without entering the servlet layer; everything
 * else — what Fingerpost owns, what no route takes, and websocket upgrades, which {@link
 * RouteDispatch} hands to {@link WebSocketRoute} — goes on to the next handler. Owns its {@link
 * RouteProxyHandler} (started and stopped with this handler). Thread-safe.
 */
public final class RouteHandler extends InlineHandler {
  private final Routes routes;
  private final RouteProxyHandler proxy;
  private final boolean inline;

  /** @param next the handler that answers what no route takes (the webhooks, then the servlet context) */
  public RouteHandler(Routes routes, Handler next) {
    super(next);
    this.routes = routes;
    this.proxy = new RouteProxyHandler(routes);
    this.inline = !routes.settings.accessLog();
    addBean(proxy, true);
  }

  /**
   * Non-blocking without the access log (which writes): the selector thread that read a request
   * proxies it at once, as nginx's event loop does, instead of handing it to another thread.
   */
  @Override
  protected boolean inline() {
    return inline;
  }

  @Override
  public void setServer(org.eclipse.jetty.server.Server server) {
    super.setServer(server);
    proxy.setServer(server);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    RouteTable.Route route = routes.routeOf(request.getMethod(), Request.getPathInContext(request));
    if (route == null || WebSocketRoute.isUpgrade(request.getMethod(), request.getHeaders().get(HttpHeader.UPGRADE))) {
      return handleNext(request, response, callback);
    }
    proxy.proxy(request, response, callback, route);
    return true;
  }
}
