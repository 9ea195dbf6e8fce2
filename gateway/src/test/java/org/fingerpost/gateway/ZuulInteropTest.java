package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fingerpost.testing.RawFingerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Next to a real Zuul, the scheduler and executors own the build nodes: the streamer publishes none,
 * and a node written exactly as a Zuul executor writes it is found and streamed.
 */
class ZuulInteropTest {
  @TempDir
  Path jobDir;
  GatewayCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = GatewayCluster.start(jobDir, false, null);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void handWrittenZuulBuildRequestIsStreamed() throws Exception {
    String uuid = GatewayCluster.newBuildId();
    Path log = cluster.logFile(uuid);
    Files.createDirectories(log.getParent());
    byte[] content = "2026-11-23 10:00:00.000000 | Job console starting...\n".getBytes(StandardCharsets.UTF_8);
    Files.write(log, content);
    assertFalse(cluster.exists("/zuul/executor/unzoned/requests/" + uuid), "streamer must not publish next to Zuul");

    // The shape of a Zuul executor's build request once it runs the job (extra keys included).
    cluster.writeBuildNode("/zuul/executor/unzoned/requests/" + uuid, "{"
        + "\"uuid\": \"" + uuid + "\", \"state\": \"running\", \"precedence\": 200,"
        + "\"resultpath\": null, \"zone\": null, \"build_set_uuid\": \"a1b2c3\","
        + "\"job_name\": \"tox-py311\", \"tenant_name\": \"example\", \"pipeline_name\": \"check\","
        + "\"event_id\": \"e5f6\", \"worker_info\": {\"hostname\": \"127.0.0.1\", \"log_port\": "
        + cluster.streamer.port() + "}}");

    try (RawFingerClient client = RawFingerClient.request(cluster.gateway.port(), uuid + "\r\n")) {
      assertArrayEquals(content, client.readExactly(content.length));
    }
  }
}
