package org.fingerpost.webapp;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import org.fingerpost.webapp.internal.ConsoleStreamEndpoint;
import org.fingerpost.webapp.internal.RequestHost;
import org.fingerpost.webapp.internal.RestApplication;
import org.fingerpost.webapp.routes.OwnedPaths;
import org.fingerpost.webapp.routes.RouteTable;
import org.fingerpost.webapp.routes.internal.RouteDispatch;
import org.fingerpost.webapp.routes.internal.RouteMetrics;
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

  /** @param services owned by the caller */
  public WebBootstrap(WebServices services) {
    this.services = services;
  }

  @Override
  public void contextInitialized(ServletContextEvent event) {
    install(event.getServletContext(), services);
  }

  /** Adds the endpoint and servlets to {@code context}, which must still be initialising. */
  public static void install(ServletContext context, WebServices services) {
    Object container = context.getAttribute(ServerContainer.class.getName());
    if (!(container instanceof ServerContainer)) {
      throw new IllegalStateException("The servlet container has no Jakarta WebSocket support enabled "
          + "(Jetty: module ee10-websocket-jakarta; Tomcat has it by default)");
    }
    try {
      ((ServerContainer) container).addEndpoint(ConsoleStreamEndpoint.config(services));
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
    ServletRegistration.Dynamic webhooks = context.addServlet("fingerpost-webhooks",
        new WebhookServlet(services.webhooks()));
    webhooks.addMapping(WebhookServlet.MAPPING);
    webhooks.setAsyncSupported(true);
    if (!services.settings().routes().isEmpty()) {
      OwnedPaths owned = OwnedPaths.defaults(services.webhooks().connections().connections().keySet()).build();
      RouteDispatch.install(context, RouteTable.of(services.settings().routes(), owned), owned,
          services.settings().proxy(), new RouteMetrics(services.prometheus(), services.settings().proxy().accessLog()));
    }
  }
}
