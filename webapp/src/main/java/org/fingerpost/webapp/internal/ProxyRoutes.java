package org.fingerpost.webapp.internal;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.net.URI;
import java.util.Map;
import org.eclipse.jetty.ee10.proxy.ProxyServlet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing table: each configured prefix is served by Jetty's transparent proxy servlet, which
 * forwards the rest of the path (and the query) to the backend. Loaded only when routes are set.
 */
public final class ProxyRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyRoutes.class);
  /** Milliseconds a backend has to answer before the client gets 504. */
  public static final long BACKEND_TIMEOUT_MS = 30_000;

  private ProxyRoutes() {}

  public static void install(ServletContext context, Map<String, URI> routes) {
    int n = 0;
    for (Map.Entry<String, URI> route : routes.entrySet()) {
      String prefix = route.getKey().substring(0, route.getKey().length() - 1); // "/nodepool"
      String target = route.getValue().toString();
      ServletRegistration.Dynamic proxy = context.addServlet("route-" + (n++), ProxyServlet.Transparent.class);
      proxy.setInitParameter("proxyTo", target.endsWith("/") ? target.substring(0, target.length() - 1) : target);
      proxy.setInitParameter("prefix", prefix);
      proxy.setInitParameter("timeout", Long.toString(BACKEND_TIMEOUT_MS));
      proxy.setAsyncSupported(true);
      proxy.setLoadOnStartup(1);
      proxy.addMapping(prefix + "/*");
      LOG.info("Route {}/ -> {}", prefix, target);
    }
  }
}
