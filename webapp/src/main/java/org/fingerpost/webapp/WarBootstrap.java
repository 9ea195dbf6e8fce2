package org.fingerpost.webapp;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import org.fingerpost.registry.Registry;
import org.fingerpost.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WAR's entry point (declared in its {@code web.xml}): reads {@link WarConfig}, connects to the
 * registry, loads the transports and installs the web tier ({@link WebBootstrap#install}). Everything
 * it created is closed when the context is destroyed. The container's own threads serve the requests;
 * streams stay non-blocking on the container's async I/O.
 */
public final class WarBootstrap implements ServletContextListener {
  private static final Logger LOG = LoggerFactory.getLogger(WarBootstrap.class);

  private Registry registry;
  private Transports transports;
  private WebServices services;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    WarConfig config = WarConfig.of(context::getInitParameter);
    WebSettings settings = config.web();
    registry = Registry.connect(config.registry());
    transports = Transports.load(WarBootstrap.class.getClassLoader(), config.pluginsDir(), config.transports());
    for (String problem : transports.problems()) {
      LOG.error("Plugin problem (the web tier carries on without it): {}", problem);
    }
    java.util.Set<String> names = new java.util.LinkedHashSet<>(System.getProperties().stringPropertyNames());
    names.addAll(java.util.Collections.list(context.getInitParameterNames()));
    services = new WebServices(settings, registry, transports, config.auth(), config.webhooks(names));
    WebBootstrap.install(context, services);
    services.register();
    LOG.info("Fingerpost web tier {} deployed at {} (zone {}, registry {}, transports {})", WebServices.version(),
        context.getContextPath().isEmpty() ? "/" : context.getContextPath(),
        settings.zone() == null ? "unzoned" : settings.zone(), registry, transports.names());
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    if (services != null) {
      services.close();
    }
    if (transports != null) {
      transports.close();
    }
    if (registry != null) {
      registry.close();
    }
  }
}
