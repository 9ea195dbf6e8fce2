package org.fingerpost.packaging;

import org.fingerpost.registry.Registry;
import org.fingerpost.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the parts every daemon shares from the configuration. */
final class Wiring {
  private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);

  private Wiring() {}

  static Registry registry(ConfigFile config, String fallbackHosts) throws ConfigFile.ConfigException {
    return Registry.connect(config.zookeeper.toRegistryConfig(fallbackHosts));
  }

  /** The transports on the classpath and in the plugins directory; broken plugins are reported, not fatal. */
  static Transports transports(ConfigFile config) {
    Transports transports = Transports.load(Main.class.getClassLoader(), config.transports.pluginsPath(),
        TlsWiring.transportSettings(config));
    for (String problem : transports.problems()) {
      LOG.error("Plugin problem (the daemon carries on without it): {}", problem);
    }
    LOG.info("Transports: {}", transports.names());
    return transports;
  }
}
