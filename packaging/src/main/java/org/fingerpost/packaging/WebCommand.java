package org.fingerpost.packaging;

import java.util.concurrent.Callable;
import org.fingerpost.config.Configuration;
import org.fingerpost.config.Keys;
import org.fingerpost.webapp.NodeSettings;
import org.fingerpost.webapp.WebNode;
import org.fingerpost.webapp.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fingerpost web}: the web tier on embedded Jetty, wired as the WAR wires it ({@link WebNode}). */
@Command(name = "web", mixinStandardHelpOptions = true,
    description = "Run the web tier: REST API, console-stream websocket and live-log page.")
final class WebCommand implements Callable<Integer> {

  @Mixin
  ConfigOption config;

  @Override
  public Integer call() throws Exception {
    return Daemon.run(config, WebCommand::start);
  }

  /**
   * Starts the web tier {@code file} describes and, when its {@code web} section sets {@code
   * prometheus_port}, a monitoring listener beside it (the web port keeps its own JSON health and
   * metrics); everything is closed with {@code daemon}. A bad setting fails before anything starts.
   */
  static Wiring.Started<WebServer> start(Configuration file, Daemon daemon) throws Exception {
    WebNode node = daemon.add(WebNode.open(file, Main.class.getClassLoader()));
    WebServer web = daemon.add(new WebServer(node.services(), NodeSettings.webConnectionLimits(file)));
    MonitoringServer monitoring = Wiring.monitoring(file, Keys.WEB, node.services().prometheus(),
        node.services()::state, daemon);
    web.start();
    return new Wiring.Started<>(web, monitoring);
  }
}
