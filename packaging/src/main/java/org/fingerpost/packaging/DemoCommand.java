package org.fingerpost.packaging;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.fingerpost.config.Configuration;
import org.fingerpost.gateway.Gateway;
import org.fingerpost.gateway.GatewaySettings;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streamer.StreamerSettings;
import org.fingerpost.transport.Transports;
import org.fingerpost.webapp.NodeSettings;
import org.fingerpost.webapp.WebServer;
import org.fingerpost.webapp.WebServices;
import org.fingerpost.webapp.WebSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code fingerpost demo}: everything in one process on an embedded ZooKeeper — a streamer with a
 * sample build that grows every half second, a gateway and the web tier — then prints how to watch
 * the build (finger and the live-log page).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "All-in-one demo: embedded ZooKeeper, a streamer with a live sample build, a gateway, the web tier.")
final class DemoCommand implements Callable<Integer> {

  /** The demo's gateway port: unprivileged, unlike Zuul's 79. */
  static final int DEFAULT_GATEWAY_PORT = 7979;

  @Mixin
  ConfigOption config;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + DEFAULT_GATEWAY_PORT,
      description = "Gateway port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--web-port", paramLabel = "PORT", defaultValue = "" + WebSettings.DEFAULT_PORT,
      description = "Web tier port: live-log page, REST API (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int webPort;

  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address every demo component listens on and registers (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--interval-ms", paramLabel = "MS", defaultValue = "500",
      description = "Milliseconds between lines of the sample build (default: ${DEFAULT-VALUE}).")
  long intervalMillis;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Configuration file = config.load();
    Path work = Files.createTempDirectory("fingerpost-demo");
    try (Daemon daemon = new Daemon()) {
      daemon.add(() -> deleteTree(work));
      EmbeddedZooKeeper zk = daemon.add(EmbeddedZooKeeper.start(work.resolve("zookeeper"), 0));
      Registry registry = daemon.add(Registry.connect(RegistrySettings.builder(zk.connectString()).build()));
      SampleBuild build = daemon.add(new SampleBuild(work.resolve("jobs")));
      Streamer streamer = daemon.add(new Streamer(StreamerSettings.builder()
          .listenAddress(host).port(0).hostname(host).jobDir(work.resolve("jobs")).tenant("demo").build(), registry));
      streamer.start();
      Transports transports = daemon.add(Wiring.transports(file));
      Gateway gateway = daemon.add(new Gateway(GatewaySettings.builder()
          .listenAddress(host).port(port).hostname(host).build(), registry, transports));
      gateway.start();
      WebServices webServices = daemon.add(new WebServices(
          WebSettings.builder().listenAddress(host).port(webPort).build(), registry, transports, NodeSettings.auth(file)));
      WebServer web = daemon.add(new WebServer(webServices));
      web.start();
      build.start(intervalMillis);
      printInstructions(build, zk, streamer, gateway);
      printWeb(build, web);
      daemon.awaitShutdown();
    }
    return 0;
  }

  private void printInstructions(SampleBuild build, EmbeddedZooKeeper zk, Streamer streamer, Gateway gateway) {
    PrintWriter out = spec.commandLine().getOut();
    out.println();
    out.println("Fingerpost demo is running (Ctrl+C to stop).");
    out.println("  ZooKeeper (embedded): " + zk.connectString());
    out.println("  streamer:             " + host + ":" + streamer.port() + "  (log " + build.logFile() + ")");
    out.println("  gateway:              " + host + ":" + gateway.port());
    out.println("  sample build:         " + build.uuid() + " (a line every " + intervalMillis + " ms)");
    out.println();
    out.println("Watch the build live through the gateway:");
    out.println("  echo " + build.uuid() + " | nc " + host + " " + gateway.port());
    out.println("or, without nc, with bash alone:");
    out.println("  bash -c 'exec 3<>/dev/tcp/" + host + "/" + gateway.port() + "; echo " + build.uuid()
        + " >&3; cat <&3'");
    out.println();
    out.flush();
  }

  private void printWeb(SampleBuild build, WebServer web) {
    PrintWriter out = spec.commandLine().getOut();
    out.println("Watch it in a browser (live-log page):");
    out.println("  http://" + host + ":" + web.port() + "/t/demo/build/" + build.uuid());
    out.println();
    out.flush();
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
