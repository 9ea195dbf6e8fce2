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
    try {
      return Registry.connect(config.zookeeper.toRegistryConfig(fallbackHosts));
    } catch (IllegalArgumentException e) {
      // Unusable TLS files: the operator's to fix, like any other bad value.
      throw new ConfigFile.ConfigException("Invalid configuration: section 'zookeeper': " + e.getMessage(), e);
    }
  }

  /** A Prometheus meter registry with the JVM's own meters and the registry connection gauge. */
  static io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters(Registry registry) {
    io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters =
        new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(
            io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(meters);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(meters);
    new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(meters);
    io.micrometer.core.instrument.Gauge.builder("fingerpost.registry.connected", registry,
        r -> r.isConnected() ? 1 : 0).description("1 while connected to ZooKeeper").register(meters);
    return meters;
  }

  /**
   * The monitoring endpoint on {@code host:port}, started, or null when {@code port} is {@link
   * MonitoringServer#DISABLED}; ready while {@code registry} is connected.
   */
  static MonitoringServer monitoring(String host, int port, io.micrometer.prometheusmetrics.PrometheusMeterRegistry meters,
      Registry registry) throws Exception {
    if (port == MonitoringServer.DISABLED) {
      LOG.info("Monitoring endpoint disabled");
      return null;
    }
    MonitoringServer server = new MonitoringServer(host, port, meters, registry::isConnected);
    server.start();
    return server;
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
