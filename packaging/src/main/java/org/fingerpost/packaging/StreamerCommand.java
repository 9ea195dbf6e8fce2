package org.fingerpost.packaging;

import java.util.concurrent.Callable;
import org.fingerpost.registry.Registry;
import org.fingerpost.streamer.Streamer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fingerpost streamer}: serves the logs of an executor's job directory over finger. */
@Command(name = "streamer", mixinStandardHelpOptions = true,
    description = "Serve the build logs of a job directory over finger and register them in ZooKeeper.")
final class StreamerCommand implements Callable<Integer> {

  @Mixin
  ConfigOption config;

  @Override
  public Integer call() throws Exception {
    ConfigFile file = config.load();
    try (Daemon daemon = new Daemon()) {
      Registry registry = daemon.add(Wiring.registry(file, null));
      Streamer streamer = daemon.add(new Streamer(file.executor.toStreamerConfig().toBuilder()
          .sslContextFactory(TlsWiring.streamerListener(file, daemon)).build(), registry));
      streamer.start();
      MonitoringServer monitoring = Wiring.monitoring(file.executor.listenAddress,
          file.executor.checkedMonitoringPort(), Wiring.meters(registry), registry);
      if (monitoring != null) {
        daemon.add(monitoring);
      }
      daemon.awaitShutdown();
    }
    return 0;
  }
}
