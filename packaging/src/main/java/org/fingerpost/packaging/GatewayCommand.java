package org.fingerpost.packaging;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Callable;
import org.fingerpost.gateway.Gateway;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.StreamMetrics;
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
    ConfigFile file = config.load();
    try (Daemon daemon = new Daemon()) {
      Registry registry = daemon.add(Wiring.registry(file, null));
      Transports transports = daemon.add(Wiring.transports(file));
      PrometheusMeterRegistry meters = Wiring.meters(registry);
      TlsWiring.registerProviderGauge(meters);
      Gateway gateway = daemon.add(new Gateway(file.fingergw.toGatewayConfigBuilder()
          .sslContextFactory(TlsWiring.gatewayListener(file, daemon)).build(), registry, transports,
          new StreamMetrics(meters)));
      gateway.start();
      MonitoringServer monitoring = Wiring.monitoring(file.fingergw.listenAddress,
          file.fingergw.checkedMonitoringPort(), meters, registry);
      if (monitoring != null) {
        daemon.add(monitoring);
      }
      daemon.awaitShutdown();
    }
    return 0;
  }
}
