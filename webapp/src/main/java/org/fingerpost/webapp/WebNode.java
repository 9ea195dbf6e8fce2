package org.fingerpost.webapp;

import java.io.Closeable;
import org.fingerpost.config.ConfigException;
import org.fingerpost.config.Configuration;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.transport.Transports;
import org.fingerpost.webapp.auth.AuthSettings;
import org.fingerpost.webapp.webhooks.WebhookConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A web node wired from a {@link Configuration}, the same way for {@code fingerpost web} (embedded
 * Jetty, {@link WebServer}) and the WAR ({@link WarBootstrap}): the registry (ZooKeeper TLS from
 * {@code zookeeper.tls_*}), the transports found on the class path and in {@code plugins_dir} (finger
 * TLS for outgoing hops from {@code fingergw.tls_*}, see {@link NodeSettings#transports}) and the
 * {@link WebServices}. The container (Jetty or the servlet container) is the caller's.
 *
 * <p>Owns the registry, transports and services and closes them, in reverse order, in {@link #close()}.
 * Thread-safe once opened.
 */
public final class WebNode implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(WebNode.class);

  private final Registry registry;
  private final Transports transports;
  private final WebServices services;

  private WebNode(Registry registry, Transports transports, WebServices services) {
    this.registry = registry;
    this.transports = transports;
    this.services = services;
  }

  /**
   * Checks every setting first (nothing is started for a bad one), then connects and starts.
   *
   * @param loader where the transports are found (besides {@code plugins_dir})
   * @throws ConfigException naming the section and key of a bad value, or ZooKeeper TLS files that
   *     cannot be used
   * @throws IllegalArgumentException for unusable read protection (for example an unreadable key file)
   */
  public static WebNode open(Configuration config, ClassLoader loader) throws ConfigException {
    WebSettings settings = NodeSettings.web(config);
    AuthSettings auth = NodeSettings.auth(config);
    WebhookConnections webhooks = NodeSettings.webhooks(config);
    RegistrySettings registrySettings = NodeSettings.registry(config);
    Registry registry;
    try {
      registry = Registry.connect(registrySettings);
    } catch (IllegalArgumentException e) {
      // Unusable TLS files: the operator's to fix, like any other bad value.
      throw new ConfigException("Invalid configuration: section 'zookeeper': " + e.getMessage(), e);
    }
    Transports transports = null;
    try {
      transports = loadTransports(config, loader);
      return new WebNode(registry, transports, new WebServices(settings, registry, transports, auth, webhooks));
    } catch (RuntimeException e) {
      if (transports != null) {
        transports.close();
      }
      registry.close();
      throw e;
    }
  }

  /** The transports on {@code loader} and in {@code plugins_dir}; broken plugins are reported, not fatal. */
  public static Transports loadTransports(Configuration config, ClassLoader loader) {
    Transports transports = Transports.load(loader, NodeSettings.pluginsDir(config), NodeSettings.transports(config));
    for (String problem : transports.problems()) {
      LOG.error("Plugin problem (the node carries on without it): {}", problem);
    }
    LOG.info("Transports: {}", transports.names());
    return transports;
  }

  public WebServices services() {
    return services;
  }

  public Registry registry() {
    return registry;
  }

  public Transports transports() {
    return transports;
  }

  @Override
  public void close() {
    services.close();
    transports.close();
    registry.close();
  }
}
