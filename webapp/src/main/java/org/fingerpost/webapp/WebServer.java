package org.fingerpost.webapp;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.fingerpost.transport.finger.ConnectionLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web tier on embedded Jetty (ee10), as run by the fat jar's {@code web} and {@code demo}
 * commands: one HTTP connector on {@link WebSettings#listenAddress()}:{@link WebSettings#port()},
 * with {@link ConnectionLimits} (a client past a limit gets {@link #REFUSAL}, a {@code 503}, and the
 * close) and a {@code Server} header that names no version (none at all: Jetty's choice).
 * Lifecycle: {@link #start()} once, then {@link #close()}; the services belong to the caller.
 */
public final class WebServer implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

  /**
   * What a client past a connection limit reads, before it sent anything or whatever it sent: an
   * HTTP/1.1 response is allowed to come early, and the connection closes after it.
   */
  public static final String REFUSAL = "HTTP/1.1 503 Service Unavailable\r\n"
      + "Content-Type: text/plain;charset=utf-8\r\nContent-Length: 21\r\nConnection: close\r\n\r\n"
      + ConnectionLimits.REFUSAL + "\n";

  private final WebServices services;
  private final ConnectionLimits limits;
  private Server server;
  private ServerConnector connector;
  private LongSupplier refusals = () -> 0;

  /** With the default {@link ConnectionLimits}. */
  public WebServer(WebServices services) {
    this(services, ConnectionLimits.defaults());
  }

  /** @param limits the connection limits and accept queue of the web port ({@code web.max_connections}, ...) */
  public WebServer(WebServices services, ConnectionLimits limits) {
    this.services = Objects.requireNonNull(services, "services");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public void start() throws Exception {
    WebSettings settings = services.settings();
    server = new Server();
    connector = new ServerConnector(server);
    connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration().setSendServerVersion(false);
    refusals = limits.applyTo(connector, REFUSAL.getBytes(StandardCharsets.US_ASCII), "web");
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

  /** Connections refused by the connection limits since start. */
  public long refusedConnections() {
    return refusals.getAsLong();
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
