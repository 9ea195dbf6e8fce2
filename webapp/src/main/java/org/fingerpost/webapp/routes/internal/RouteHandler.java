package org.fingerpost.webapp.routes.internal;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.fingerpost.webapp.routes.RouteTable;

/**
 * The embedded server's routes, in front of its servlet context: a request a route takes is proxied
 * on Jetty's core API by {@link RouteProxyHandler}, without entering the servlet layer; everything
 * else — what Fingerpost owns, what no route takes, and websocket upgrades, which {@link
 * RouteDispatch} hands to {@link WebSocketRoute} — goes on to the context. Owns its {@link
 * RouteProxyHandler} (started and stopped with this handler). Thread-safe.
 */
public final class RouteHandler extends Handler.Wrapper {
  private final Routes routes;
  private final RouteProxyHandler proxy;
  private final boolean inline;

  /** @param context the servlet context that answers what no route takes */
  public RouteHandler(Routes routes, Handler context) {
    super(context);
    this.routes = routes;
    this.proxy = new RouteProxyHandler(routes);
    this.inline = !routes.settings.accessLog();
    addBean(proxy, true);
  }

  /**
   * Non-blocking (without the access log, which writes): the selector thread that read a request
   * proxies it at once, as nginx's event loop does, instead of handing it to another thread; what
   * goes on to the servlet layer, which blocks, is handed to the thread pool in {@link #handle}.
   */
  @Override
  public InvocationType getInvocationType() {
    return inline ? InvocationType.NON_BLOCKING : InvocationType.BLOCKING;
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
      if (!inline) {
        return super.handle(request, response, callback);
      }
      request.getContext().execute(() -> handleNext(request, response, callback));
      return true;
    }
    proxy.proxy(request, response, callback, route);
    return true;
  }

  /** The servlet context's handling, on a pool thread (as {@code DelayedHandler} hands on a request). */
  private void handleNext(Request request, Response response, Callback callback) {
    try {
      if (!super.handle(request, response, callback)) {
        Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
      }
    } catch (Throwable x) {
      Response.writeError(request, response, callback, x);
    }
  }
}
