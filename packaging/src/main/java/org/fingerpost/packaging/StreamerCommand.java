package org.fingerpost.packaging;

import java.util.concurrent.Callable;
import org.fingerpost.config.Configuration;
import org.fingerpost.config.Keys;
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
    return Daemon.run(config, StreamerCommand::start);
  }

  /**
   * Starts the streamer {@code file} describes, with the monitoring listener its {@code executor}
   * section asks for (none without {@code prometheus_port}); everything is closed with {@code daemon}.
   */
  static Wiring.Started<Streamer> start(Configuration file, Daemon daemon) throws Exception {
    Registry registry = daemon.add(Wiring.registry(file));
    Streamer streamer = daemon.add(new Streamer(DaemonSettings.streamer(file).toBuilder()
        .sslContextFactory(TlsWiring.streamerListener(file, daemon)).build(), registry));
    MonitoringServer monitoring = Wiring.monitoring(file, Keys.EXECUTOR, Wiring.meters(registry), streamer::state, daemon);
    streamer.start();
    return new Wiring.Started<>(streamer, monitoring);
  }
}
