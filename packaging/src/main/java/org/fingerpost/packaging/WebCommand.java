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
    WebhookConnections webhooks = file.webhooks.toWebhookConnections(file.connections);
    try (Daemon daemon = new Daemon()) {
      Registry registry = daemon.add(Wiring.registry(file, null));
      Transports transports = daemon.add(Wiring.transports(file));
      WebServices services = daemon.add(new WebServices(file.web.toWebSettings(), registry, transports,
          webhooks));
      WebServer web = daemon.add(new WebServer(services));
      web.start();
      daemon.awaitShutdown();
    }
    return 0;
  }
}
