package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.fingerpost.testing.RawFingerClient;
import org.fingerpost.transport.StreamTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plugin of {@code examples/transport-example}, as built by the reactor, dropped into
 * {@code plugins/}: the gateway loads it and streams a build whose executor asks for it through it.
 * The example is not on this test's classpath (see the gateway pom), only in the plugins directory.
 */
class ExamplePluginTest {
  static final String EXAMPLE = "example-tcp";

  @TempDir
  Path work;
  GatewayCluster cluster;

  /** The example's jar, or its classes directory packed into one when the reactor did not package it. */
  static Path exampleJar(Path plugins) throws Exception {
    String built = System.getProperty("fingerpost.example.plugin");
    assertTrue(built != null && !built.startsWith("${") && Files.exists(Path.of(built)),
        "the example plugin's build output (system property fingerpost.example.plugin): " + built);
    Path jar = plugins.resolve("fingerpost-transport-example.jar");
    return Files.isDirectory(Path.of(built)) ? PluginJars.pack(Path.of(built), jar)
        : Files.copy(Path.of(built), jar);
  }

  @BeforeEach
  void start() throws Exception {
    Path plugins = Files.createDirectories(work.resolve("plugins"));
    exampleJar(plugins);
    cluster = GatewayCluster.start(Files.createDirectories(work.resolve("jobs")), false, plugins);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void theExamplePluginIsLoadedFromPluginsAndStreamsABuildThatAsksForIt() throws Exception {
    assertTrue(cluster.transports.problems().isEmpty(), "problems: " + cluster.transports.problems());
    assertTrue(cluster.transports.names().contains(EXAMPLE), "loaded: " + cluster.transports.names());
    assertEquals(EXAMPLE, cluster.transports.select(StreamTarget.builder("ab12", "127.0.0.1", 7900)
        .attributes(Map.of("transport", EXAMPLE)).build()).name());

    // The executor (our streamer) serves the log; its build node asks for the example transport.
    String uuid = GatewayCluster.newBuildId();
    byte[] content = "streamed through the example plugin\n".getBytes(StandardCharsets.UTF_8);
    Path log = cluster.logFile(uuid);
    Files.createDirectories(log.getParent());
    Files.write(log, content);
    cluster.writeBuildNode("/zuul/executor/unzoned/requests/" + uuid, "{\"uuid\": \"" + uuid
        + "\", \"state\": \"running\", \"worker_info\": {\"hostname\": \"127.0.0.1\", \"log_port\": "
        + cluster.streamer.port() + ", \"transport\": \"" + EXAMPLE + "\"}}");
    try (RawFingerClient client = RawFingerClient.request(cluster.gateway.port(), uuid + "\n")) {
      assertArrayEquals(content, client.readExactly(content.length));
    }
  }
}
