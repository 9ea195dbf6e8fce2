package org.fingerpost.webapp;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.Collections;
import java.util.LinkedHashSet;
import org.fingerpost.config.ConfigException;
import org.fingerpost.config.ConfigLoader;
import org.fingerpost.config.Configuration;
import org.fingerpost.config.Key;
import org.fingerpost.config.Keys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAR's entry point (declared in its {@code web.xml}): reads the configuration ({@link
 * ConfigLoader#war}: system properties, environment, context parameters), opens a {@link WebNode} as
 * {@code fingerpost web} does (registry, transports with TLS, services) and installs the web tier
 * ({@link WebBootstrap#install}). Everything it opened is closed when the context is destroyed. The
 * container's own threads serve the requests; streams stay non-blocking on the container's async I/O.
 * A bad configuration fails the deployment with an {@link IllegalStateException} whose message names
 * the property, section and key.
 */
public final class WarBootstrap implements ServletContextListener {
  private static final Logger LOG = LoggerFactory.getLogger(WarBootstrap.class);

  private WebNode node;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    try {
      Configuration config = ConfigLoader.war(context::getInitParameter,
          new LinkedHashSet<>(Collections.list(context.getInitParameterNames())));
      node = WebNode.open(config, WarBootstrap.class.getClassLoader());
      for (Key key : new Key[] {Keys.WEB_MAX_CONNECTIONS, Keys.WEB_MAX_CONNECTIONS_PER_IP, Keys.WEB_ACCEPT_QUEUE}) {
        if (config.isSet(key)) {
          LOG.warn("{} is not applied in a WAR: the container's connector settings are (Tomcat: maxConnections, "
              + "acceptCount)", key.path());
        }
      }
    } catch (ConfigException e) {
      LOG.error("Fingerpost web tier not deployed: {}", e.getMessage());
      throw new IllegalStateException(e.getMessage(), e);
    }
    WebBootstrap.install(context, node.services());
    node.services().register();
    WebSettings settings = node.services().settings();
    LOG.info("Fingerpost web tier {} deployed at {} (zone {}, registry {}, transports {})", WebServices.version(),
        context.getContextPath().isEmpty() ? "/" : context.getContextPath(),
        settings.zone() == null ? "unzoned" : settings.zone(), node.registry(), node.transports().names());
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    if (node != null) {
      node.close();
    }
  }
}
