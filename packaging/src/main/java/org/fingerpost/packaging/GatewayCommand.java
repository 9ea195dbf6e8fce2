package org.fingerpost.packaging;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Callable;
import org.fingerpost.config.Configuration;
import org.fingerpost.config.Keys;
import org.fingerpost.gateway.Gateway;
import org.fingerpost.gateway.GatewaySettings;
import org.fingerpost.registry.Registry;
import org.fingerpost.streams.StreamMetrics;
import org.fingerpost.transport.Transports;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fingerpost gateway}: the finger gateway of one zone. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = "Run a finger gateway: resolve builds in ZooKeeper and relay their live logs.")
final class GatewayCommand implements Callable<Integer> {

  @Mixin
  ConfigOption config;

  @Override
  public Integer call() throws Exception {
    return Daemon.run(config, GatewayCommand::start);
  }

  /**
   * Starts the gateway {@code file} describes, with the monitoring listener its {@code fingergw}
   * section asks for (none without {@code prometheus_port}); everything is closed with {@code daemon}.
   */
  static Wiring.Started<Gateway> start(Configuration file, Daemon daemon) throws Exception {
    GatewaySettings.Builder settings = DaemonSettings.gatewayBuilder(file); // a bad section stops us first
    Registry registry = daemon.add(Wiring.registry(file));
    Transports transports = daemon.add(Wiring.transports(file));
    PrometheusMeterRegistry meters = Wiring.meters(registry);
    TlsWiring.registerProviderGauge(meters);
    Gateway gateway = daemon.add(new Gateway(settings
        .sslContextFactory(TlsWiring.gatewayListener(file, daemon)).build(), registry, transports,
        new StreamMetrics(meters)));
    MonitoringServer monitoring = Wiring.monitoring(file, Keys.FINGERGW, meters, gateway::state, daemon);
    gateway.start();
    return new Wiring.Started<>(gateway, monitoring);
  }
}
