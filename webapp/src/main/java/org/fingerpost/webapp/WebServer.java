package org.fingerpost.webapp;

import java.io.Closeable;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.fingerpost.webapp.internal.ConsoleUpgrade;
import org.fingerpost.webapp.internal.InlineResumeThreadPool;
import org.fingerpost.webapp.internal.PerAddressLimit;
import org.fingerpost.webapp.routes.internal.RouteHandler;
import org.fingerpost.webapp.routes.internal.Routes;
import org.fingerpost.webapp.webhooks.internal.WebhookHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web tier on embedded Jetty (ee10), as run by the fat jar's {@code web} and {@code demo}
 * commands: one HTTP connector on {@link WebSettings#listenAddress()}:{@link WebSettings#port()},
 * with connection {@link Limits} (Jetty's: past {@code max_connections} the port stops accepting until
 * a connection closes; a connection past {@code max_connections_per_ip} is closed once accepted) and a
 * {@code Server} header that names no version (none at all: Jetty's choice).
 * Lifecycle: {@link #start()} once, then {@link #close()}; the services belong to the caller.
 */
public final class WebServer implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

  /**
   * The web port's connection limits: open connections in all and per client address ({@code 0}: no
   * limit) and the accept queue (listen backlog), in connections.
   */
  public record Limits(int maxConnections, int maxConnectionsPerIp, int acceptQueue) {
    /** Defaults of {@code web.max_connections}, {@code max_connections_per_ip}, {@code accept_queue}. */
    public static final Limits DEFAULTS = new Limits(8192, 1024, 1024);

    /** @throws IllegalArgumentException naming the key of a negative limit or an accept queue below 1 */
    public Limits {
      if (maxConnections < 0 || maxConnectionsPerIp < 0) {
        throw new IllegalArgumentException("max_connections and max_connections_per_ip must be 0 (no limit) or more");
      }
      if (acceptQueue < 1) {
        throw new IllegalArgumentException("accept_queue must be at least 1, not " + acceptQueue);
      }
    }
  }

  private final WebServices services;
  private final Limits limits;
  private final boolean coreRoutes;
  private final boolean coreConsole;
  private final boolean coreWebhooks;
  private Server server;
  private InlineResumeThreadPool threads;
  private ServerConnector connector;
  private PerAddressLimit perAddress;

  /** With {@link Limits#DEFAULTS}. */
  public WebServer(WebServices services) {
    this(services, Limits.DEFAULTS);
  }

  /** @param limits the connection limits and accept queue of the web port */
  public WebServer(WebServices services, Limits limits) {
    this(services, limits, true);
  }

  /**
   * @param coreRoutes whether routes proxy plain HTTP on Jetty's core API (always, except in the
   *     tests that hold the servlet path a WAR uses to the same behaviour)
   */
  WebServer(WebServices services, Limits limits, boolean coreRoutes) {
    this(services, limits, coreRoutes, true);
  }

  /**
   * @param coreRoutes whether routes proxy plain HTTP on Jetty's core API
   * @param coreConsole whether the console-stream websocket runs on Jetty's core websocket (always,
   *     except in the tests that hold the Jakarta endpoint a WAR uses to the same behaviour)
   */
  WebServer(WebServices services, Limits limits, boolean coreRoutes, boolean coreConsole) {
    this(services, limits, coreRoutes, coreConsole, true);
  }

  /**
   * @param coreWebhooks whether webhooks are taken on Jetty's core API (always, except in the tests
   *     that hold the servlet a WAR uses to the same behaviour)
   */
  WebServer(WebServices services, Limits limits, boolean coreRoutes, boolean coreConsole, boolean coreWebhooks) {
    this.services = Objects.requireNonNull(services, "services");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.coreRoutes = coreRoutes;
    this.coreConsole = coreConsole;
    this.coreWebhooks = coreWebhooks;
  }

  public void start() throws Exception {
    WebSettings settings = services.settings();
    threads = new InlineResumeThreadPool();
    server = new Server(threads);
    connector = new ServerConnector(server);
    connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration().setSendServerVersion(false);
    connector.setAcceptQueueSize(limits.acceptQueue());
    if (limits.maxConnections() > 0) {
      server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
    }
    if (limits.maxConnectionsPerIp() > 0) {
      perAddress = new PerAddressLimit(limits.maxConnectionsPerIp());
      connector.addBean(perAddress);
    }
    connector.setHost(settings.listenAddress());
    connector.setPort(settings.port());
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    JakartaWebSocketServletContainerInitializer.configure(context, null);
    Routes routes = WebBootstrap.routes(services);
    context.addEventListener(new WebBootstrap(services, routes, !coreConsole, !coreWebhooks));
    Handler owned = context;
    if (coreConsole) {
      // The console stream on Jetty's core websocket, before the servlet layer: an idle websocket holds
      // no servlet request nor Jakarta session (docs/benchmarks.md).
      WebSocketUpgradeHandler console = ConsoleUpgrade.handler(services,
          WebSocketServerComponents.ensureWebSocketComponents(server));
      console.setHandler(context);
      owned = console;
    }
    if (coreWebhooks) {
      // Webhooks on Jetty's core API too, on the thread that read them (docs/benchmarks.md).
      owned = new WebhookHandler(services.webhooks(), owned);
    }
    // Routes proxy plain HTTP on Jetty's core API, before the servlet layer (two thirds of the servlet
    // proxy's CPU per request, docs/benchmarks.md), and before the websocket's path match.
    server.setHandler(routes == null || !coreRoutes ? owned : new RouteHandler(routes, owned));
    // A non-blocking server goes on to a connection's next request on the thread that completed an
    // asynchronous response (the proxy client's selector, the event queue's completion thread).
    threads.resumeInline(server.getInvocationType() == InvocationType.NON_BLOCKING);
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

  /** Whether a connection goes on to its next request on the thread that completed a proxied response. */
  boolean resumesInline() {
    return threads.resumesInline();
  }

  /** Whether the console stream is served on Jetty's core websocket (its upgrade handler is in the tree). */
  boolean consoleOnCore() {
    return server.getDescendant(WebSocketUpgradeHandler.class) != null;
  }

  /** Whether webhooks are taken on Jetty's core API (their handler is in the tree). */
  boolean webhooksOnCore() {
    return server.getDescendant(WebhookHandler.class) != null;
  }

  /** Connections closed for {@code max_connections_per_ip} since start. */
  public long refusedConnections() {
    return perAddress == null ? 0 : perAddress.refusals();
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
