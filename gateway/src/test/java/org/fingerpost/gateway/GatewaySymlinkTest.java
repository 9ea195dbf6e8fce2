package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fingerpost.testing.RawFingerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 4, as it was reported: a build whose {@code job-output.txt} is a symbolic link
 * to a file outside {@code job_dir} (here a stand-in for {@code /etc/passwd}), asked for through a
 * gateway, gets the streamer's answer for an unknown build and none of the file's bytes.
 */
@Timeout(120)
class GatewaySymlinkTest {
  private static final String SECRET = "root:x:0:0:root:/root:/bin/bash\n";

  @TempDir Path jobDir;
  @TempDir Path outside;
  private GatewayCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = GatewayCluster.start(jobDir, false, null); // the build node is written by hand, as Zuul does
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void aLogLinkedOutOfTheJobDirIsNotServedThroughTheGateway() throws Exception {
    Path passwd = Files.writeString(outside.resolve("passwd"), SECRET);
    String uuid = GatewayCluster.newBuildId();
    Path log = cluster.logFile(uuid);
    Files.createDirectories(log.getParent());
    Files.createSymbolicLink(log, passwd);
    cluster.writeBuildNode("/zuul/executor/unzoned/requests/" + uuid, "{\"uuid\": \"" + uuid
        + "\", \"state\": \"running\", \"worker_info\": {\"hostname\": \"127.0.0.1\", \"log_port\": "
        + cluster.streamer.port() + "}}");
    assertEquals("Build ID " + uuid + " not found",
        RawFingerClient.fetchText(cluster.gateway.port(), uuid + "\n"));

    // The same build as a real file is served, through the same gateway.
    Files.delete(log);
    Files.write(log, "a real log\n".getBytes(StandardCharsets.UTF_8));
    try (RawFingerClient c = RawFingerClient.request(cluster.gateway.port(), uuid + "\n")) {
      assertEquals("a real log\n", new String(c.readExactly(11), StandardCharsets.UTF_8));
    }
  }
}
