package org.fingerpost.packaging;

import java.util.concurrent.Callable;
import org.fingerpost.registry.Registry;
import org.fingerpost.transport.Transports;
import org.fingerpost.webapp.WebServer;
import org.fingerpost.webapp.WebServices;
import org.fingerpost.webapp.webhooks.WebhookConnections;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fingerpost web}: the web tier on embedded Jetty. */
@Command(name = "web", mixinStandardHelpOptions = true,
    description = "Run the web tier: REST API, console-stream websocket and live-log page.")
final class WebCommand implements Callable<Integer> {

  @Mixin
  ConfigOption config;

  @Override
  public Integer call() throws Exception {
    ConfigFile file = config.load();
    try (Daemon daemon = new Daemon()) {
      start(file, daemon);
      daemon.awaitShutdown();
    }
    return 0;
  }

  /**
   * Starts the web tier {@code file} describes and, when its {@code web} section sets {@code
   * prometheus_port}, a monitoring listener beside it (the web port keeps its own JSON health and
   * metrics); everything is closed with {@code daemon}.
   */
  static Wiring.Started<WebServer> start(ConfigFile file, Daemon daemon) throws Exception {
    // Bad webhook connections fail before anything starts.
    WebhookConnections webhooks = file.webhooks.toWebhookConnections(file.connections);
    Registry registry = daemon.add(Wiring.registry(file, null));
    Transports transports = daemon.add(Wiring.transports(file));
    WebServices services = daemon.add(new WebServices(file.web.toWebSettings(), registry, transports,
        file.authConfig(), webhooks));
    WebServer web = daemon.add(new WebServer(services));
    MonitoringServer monitoring = Wiring.monitoring(file.web, services.prometheus(), services::state, daemon);
    web.start();
    return new Wiring.Started<>(web, monitoring);
  }
}
