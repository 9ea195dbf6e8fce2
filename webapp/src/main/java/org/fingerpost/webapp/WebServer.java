package org.fingerpost.webapp;

import java.io.Closeable;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web tier on embedded Jetty (ee10), as run by the fat jar's {@code web} and {@code demo}
 * commands: one HTTP connector on {@link WebSettings#listenAddress()}:{@link WebSettings#port()}.
 * Lifecycle: {@link #start()} once, then {@link #close()}; the services belong to the caller.
 */
public final class WebServer implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

  private final WebServices services;
  private Server server;
  private ServerConnector connector;

  public WebServer(WebServices services) {
    this.services = Objects.requireNonNull(services, "services");
  }

  public void start() throws Exception {
    WebSettings settings = services.settings();
    server = new Server();
    connector = new ServerConnector(server);
    connector.setHost(settings.listenAddress());
    connector.setPort(settings.port());
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    JakartaWebSocketServletContainerInitializer.configure(context, null);
    context.addEventListener(new WebBootstrap(services));
    server.setHandler(context);
    server.setStopTimeout(2_000);
    server.start();
    services.register();
    LOG.info("Web tier listening on http://{}:{}/ (zone {})", settings.listenAddress(), port(),
        settings.zone() == null ? "unzoned" : settings.zone());
  }

  /** The bound port. */
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    if (server != null) {
      try {
        server.stop();
      } catch (Exception e) {
        LOG.warn("Stopping the web server failed", e);
      }
    }
  }
}
