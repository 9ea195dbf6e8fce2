package org.fingerpost.packaging;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import java.util.function.Supplier;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.registry.Registry;
import org.fingerpost.config.ConfigException;
import org.fingerpost.config.Configuration;
import org.fingerpost.transport.Transports;
import org.fingerpost.webapp.NodeSettings;
import org.fingerpost.webapp.WebNode;
import org.fingerpost.webapp.MonitoringAnswers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the parts every daemon shares from the configuration. */
final class Wiring {
  private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);

  private Wiring() {}

  static Registry registry(Configuration config) throws ConfigException {
    try {
      return Registry.connect(NodeSettings.registry(config));
    } catch (IllegalArgumentException e) {
      // Unusable TLS files: the operator's to fix, like any other bad value.
      throw new ConfigException("Invalid configuration: section 'zookeeper': " + e.getMessage(), e);
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
    MonitoringAnswers.registerRegistryGauge(meters, registry);
    return meters;
  }

  /**
   * The monitoring listener {@code section} asks for, added to {@code daemon} and started, or null
   * when the section sets no {@code prometheus_port} (nothing is bound then: no default opens a port).
   * Started before the component itself, as Zuul does, so that {@code /health/ready} answers 503
   * while it starts.
   *
   * @param state the component's state for {@code /health/ready} and {@code /health/status}
   */
  static MonitoringServer monitoring(Configuration config, String section, PrometheusMeterRegistry meters,
      Supplier<ComponentState> state, Daemon daemon) throws Exception {
    Optional<Monitoring.Listener> listener = Monitoring.listener(config, section);
    if (listener.isEmpty()) {
      LOG.info("No monitoring listener: section '{}' sets no prometheus_port", section);
      return null;
    }
    MonitoringServer server = daemon.add(
        new MonitoringServer(listener.get().address(), listener.get().port(), meters, state));
    server.start();
    return server;
  }

  /** A started component and its monitoring listener (null when none was asked for). */
  record Started<T>(T component, MonitoringServer monitoring) {}

  /** The transports on the classpath and in the plugins directory; broken plugins are reported, not fatal. */
  static Transports transports(Configuration config) {
    return WebNode.loadTransports(config, Main.class.getClassLoader());
  }
}
