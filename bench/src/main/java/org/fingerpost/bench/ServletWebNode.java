package org.fingerpost.bench;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.fingerpost.webapp.WebBootstrap;
import org.fingerpost.webapp.WebServices;

/**
 * The web tier as a WAR runs it: {@link WebBootstrap} in a plain servlet context of a Jetty server on
 * loopback (no core handlers in front), so that a benchmark can set the servlet path beside the
 * embedded server's in one run. Owns its server; the services belong to the caller.
 */
final class ServletWebNode implements AutoCloseable {
  private final Server server = new Server();
  private final ServerConnector connector = new ServerConnector(server);

  ServletWebNode(WebServices services) throws Exception {
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    JakartaWebSocketServletContainerInitializer.configure(context, null);
    context.addEventListener(new WebBootstrap(services));
    server.setHandler(context);
    server.start();
  }

  int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
