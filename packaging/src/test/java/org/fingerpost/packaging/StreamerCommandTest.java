package org.fingerpost.packaging;

import org.fingerpost.config.ConfigException;
import org.fingerpost.config.Configuration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.apache.curator.test.TestingServer;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.streamer.Streamer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streamer as {@code fingerpost streamer} starts it: monitoring only where the section asks. */
class StreamerCommandTest {
  @TempDir
  Path jobs;

  Configuration streamerConfig(TestingServer zk, String... pairs) throws ConfigException {
    return GatewayCommandTest.load(zk, java.util.List.of("FINGERPOST_EXECUTOR_FINGER_PORT", "0",
        "FINGERPOST_EXECUTOR_LISTEN_ADDRESS", "127.0.0.1", "FINGERPOST_EXECUTOR_HOSTNAME", "127.0.0.1",
        "FINGERPOST_EXECUTOR_JOB_DIR", jobs.toString()), pairs);
  }

  @Test
  void withTheDefaultsNoMonitoringListener() throws Exception {
    try (TestingServer zk = new TestingServer(true); Daemon daemon = new Daemon()) {
      Wiring.Started<Streamer> started = StreamerCommand.start(streamerConfig(zk), daemon);
      assertNull(started.monitoring());
      assertEquals(ComponentState.RUNNING, started.component().state());
    }
  }

  @Test
  void prometheusPortServesTheStreamersState() throws Exception {
    try (TestingServer zk = new TestingServer(true); Daemon daemon = new Daemon()) {
      Wiring.Started<Streamer> started = StreamerCommand.start(streamerConfig(zk,
          "FINGERPOST_EXECUTOR_PROMETHEUS_PORT", "0", "FINGERPOST_EXECUTOR_PROMETHEUS_ADDR", "127.0.0.1"), daemon);
      int port = MonitoringServerTest.assertReports(started, ComponentState.RUNNING);
      assertTrue(MonitoringServerTest.get(port, "/").body().contains("fingerpost_registry_connected 1.0"));
      started.component().close();
      MonitoringServerTest.assertReports(started, ComponentState.STOPPED);
    }
  }

  @Test
  void aStreamerIsInitializingUntilStartedAndStoppedOnceClosed() throws Exception {
    Streamer streamer = new Streamer(streamerConfigWithoutRegistry(), null);
    assertEquals(ComponentState.INITIALIZING, streamer.state());
    streamer.start();
    assertEquals(ComponentState.RUNNING, streamer.state(), "no registry: running once started");
    streamer.close();
    assertEquals(ComponentState.STOPPED, streamer.state());
  }

  private org.fingerpost.streamer.StreamerSettings streamerConfigWithoutRegistry() {
    return org.fingerpost.streamer.StreamerSettings.builder().listenAddress("127.0.0.1").port(0).hostname("127.0.0.1")
        .jobDir(jobs).build();
  }
}
