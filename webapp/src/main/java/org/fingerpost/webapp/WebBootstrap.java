package org.fingerpost.webapp;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.util.function.Supplier;
import org.fingerpost.webapp.internal.ConsoleStreamEndpoint;
import org.fingerpost.webapp.internal.RequestHost;
import org.fingerpost.webapp.internal.RestApplication;
import org.fingerpost.webapp.routes.OwnedPaths;
import org.fingerpost.webapp.routes.RouteTable;
import org.fingerpost.webapp.routes.internal.RouteDispatch;
import org.fingerpost.webapp.routes.internal.RouteMetrics;
import org.fingerpost.webapp.routes.internal.Routes;
import org.fingerpost.webapp.webhooks.internal.WebhookServlet;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Installs the web tier into a servlet context: the console-stream websocket endpoint, the Jersey
 * application at {@code /*} (REST API, health, metrics, page), the webhook servlet at {@code
 * /api/connection/*} and, with routes, the filter that sends what Fingerpost does not own to them
 * (docs/web-tier.md "Routes"); a route that would shadow an owned path stops the start.
 * Used by {@link WebServer} with services it was given; {@link WarBootstrap} does the same in a WAR.
 * The Jakarta WebSocket container must be initialised before (every container does that first).
 */
public class WebBootstrap implements ServletContextListener {
  private final WebServices services;
  private final Supplier<Routes> routes;
  private final boolean jakartaConsole;
  private final boolean servletWebhooks;

  /** @param services owned by the caller; the routes are made from its settings at initialisation */
  public WebBootstrap(WebServices services) {
    this.services = services;
    this.routes = () -> routes(services);
    this.jakartaConsole = true;
    this.servletWebhooks = true;
  }

  /**
   * @param services owned by the caller
   * @param routes the node's routes ({@link #routes}), or null for none
   * @param jakartaConsole whether the console-stream websocket is the Jakarta endpoint (else the
   *     embedded server serves it on Jetty's core websocket, before this context)
   * @param servletWebhooks whether webhooks are taken by the servlet (else the embedded server takes
   *     them on Jetty's core API, before this context)
   */
  WebBootstrap(WebServices services, Routes routes, boolean jakartaConsole, boolean servletWebhooks) {
    this.services = services;
    this.routes = () -> routes;
    this.jakartaConsole = jakartaConsole;
    this.servletWebhooks = servletWebhooks;
  }

  @Override
  public void contextInitialized(ServletContextEvent event) {
    install(event.getServletContext(), services, routes.get(), jakartaConsole, servletWebhooks);
  }

  /**
   * The routes of {@code services}' settings, with their meters registered, or null for none.
   *
   * @throws IllegalArgumentException naming each route that would shadow what Fingerpost owns
   */
  static Routes routes(WebServices services) {
    if (services.settings().routes().isEmpty()) {
      return null;
    }
    OwnedPaths owned = OwnedPaths.defaults(services.webhooks().connections().connections().keySet()).build();
    return Routes.of(RouteTable.of(services.settings().routes(), owned), owned, services.settings().proxy(),
        new RouteMetrics(services.prometheus(), services.settings().proxy().accessLog()));
  }

  /** Adds the endpoint, servlets and routes to {@code context}, which must still be initialising. */
  public static void install(ServletContext context, WebServices services) {
    install(context, services, routes(services), true, true);
  }

  private static void install(ServletContext context, WebServices services, Routes routes, boolean jakartaConsole,
      boolean servletWebhooks) {
    Object container = context.getAttribute(ServerContainer.class.getName());
    if (!(container instanceof ServerContainer)) {
      throw new IllegalStateException("The servlet container has no Jakarta WebSocket support enabled "
          + "(Jetty: module ee10-websocket-jakarta; Tomcat has it by default)");
    }
    try {
      if (jakartaConsole) {
        ((ServerContainer) container).addEndpoint(ConsoleStreamEndpoint.config(services));
      }
    } catch (DeploymentException e) {
      throw new IllegalStateException("Cannot deploy the console-stream websocket", e);
    }
    // Before any filter, so that the websocket upgrade's origin check sees the Host header.
    context.addListener(new RequestHost());
    ServletRegistration.Dynamic rest = context.addServlet("fingerpost-rest",
        new ServletContainer(RestApplication.create(services)));
    rest.addMapping("/*");
    rest.setLoadOnStartup(1);
    rest.setAsyncSupported(true);
    if (servletWebhooks) {
      ServletRegistration.Dynamic webhooks = context.addServlet("fingerpost-webhooks",
          new WebhookServlet(services.webhooks()));
      webhooks.addMapping(WebhookServlet.MAPPING);
      webhooks.setAsyncSupported(true);
    }
    if (routes != null) {
      RouteDispatch.install(context, routes);
    }
  }
}
