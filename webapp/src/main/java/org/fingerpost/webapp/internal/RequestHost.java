package org.fingerpost.webapp.internal;

import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Keeps the {@code Host} header of the request being handled on this thread, for the console-stream
 * websocket's origin check: the Jakarta {@code Configurator.checkOrigin} that answers a refused upgrade
 * with {@code 403} (Jetty and Tomcat alike) is given only the {@code Origin}. The containers call this
 * listener on the request's thread before any filter, and the websocket upgrade filters check the
 * origin synchronously on that thread. Stateless apart from the thread-local.
 */
public final class RequestHost implements ServletRequestListener {
  private static final ThreadLocal<String> HOST = new ThreadLocal<>();

  @Override
  public void requestInitialized(ServletRequestEvent event) {
    if (event.getServletRequest() instanceof HttpServletRequest r) {
      HOST.set(r.getHeader("Host"));
    }
  }

  @Override
  public void requestDestroyed(ServletRequestEvent event) {
    HOST.remove();
  }

  /** The {@code Host} header of this thread's request, or null. */
  static String current() {
    return HOST.get();
  }
}
