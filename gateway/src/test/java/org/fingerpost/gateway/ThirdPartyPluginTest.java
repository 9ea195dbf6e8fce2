package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fingerpost.testing.RawFingerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transport compiled outside the project, dropped into {@code plugins/}, is discovered and used for
 * the targets it claims; broken plugin jars are reported and the gateway serves on.
 */
class ThirdPartyPluginTest {
  static final String PLUGIN = "package thirdparty;\n"
      + "import java.nio.ByteBuffer;\n"
      + "import java.nio.charset.StandardCharsets;\n"
      + "import org.fingerpost.transport.*;\n"
      + "public final class EchoTransport implements LogTransport {\n"
      + "  public String name() { return \"echo\"; }\n"
      + "  public int priority() { return 10; }\n"
      + "  public boolean supports(StreamTarget t) { return \"echo\".equals(t.attributes().get(\"transport\")); }\n"
      + "  public LogStream open(StreamTarget t, LogSink sink) {\n"
      + "    byte[] text = (\"echo plugin: build \" + t.buildId() + \" at \" + t.host() + \":\" + t.port() + \"\\n\")\n"
      + "        .getBytes(StandardCharsets.UTF_8);\n"
      + "    new Thread(() -> sink.onData(ByteBuffer.wrap(text), sink::onEnd), \"echo-plugin\").start();\n"
      + "    return LogStream.CLOSED;\n"
      + "  }\n"
      + "}\n";

  @TempDir
  Path work;
  GatewayCluster cluster;

  @BeforeEach
  void start() throws Exception {
    Path plugins = Files.createDirectories(work.resolve("plugins"));
    PluginJars.build(work.resolve("echo"), plugins.resolve("echo-transport.jar"),
        Map.of("thirdparty.EchoTransport", PLUGIN), List.of("thirdparty.EchoTransport"));
    PluginJars.build(work.resolve("missing"), plugins.resolve("missing-class.jar"),
        Map.of("thirdparty.Unrelated", "package thirdparty; public class Unrelated {}"),
        List.of("thirdparty.DoesNotExist"));
    PluginJars.corrupt(plugins.resolve("corrupt.jar"));
    cluster = GatewayCluster.start(Files.createDirectories(work.resolve("jobs")), true, plugins);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void pluginIsDiscoveredAndServesTheTargetsItClaims() throws Exception {
    assertTrue(cluster.transports.names().contains("echo"), "loaded: " + cluster.transports.names());
    assertTrue(cluster.transports.names().contains("finger"), "loaded: " + cluster.transports.names());

    String uuid = GatewayCluster.newBuildId();
    cluster.registerExecutor("builder.example", null); // as its Zuul executor would
    cluster.writeBuildNode("/zuul/executor/unzoned/requests/" + uuid, "{\"uuid\": \"" + uuid
        + "\", \"state\": \"running\", \"worker_info\": {\"hostname\": \"builder.example\", \"log_port\": 2222,"
        + " \"transport\": \"echo\"}}");
    assertEquals("echo plugin: build " + uuid + " at builder.example:2222\n",
        RawFingerClient.fetchText(cluster.gateway.port(), uuid + "\n"));
  }

  @Test
  void brokenPluginJarsAreReportedAndTheGatewayServesOn() throws Exception {
    List<String> problems = cluster.transports.problems();
    assertTrue(problems.stream().anyMatch(p -> p.contains("missing-class.jar") && p.contains("DoesNotExist")),
        "problems: " + problems);
    assertTrue(problems.stream().anyMatch(p -> p.contains("corrupt.jar")), "problems: " + problems);

    String uuid = GatewayCluster.newBuildId();
    byte[] content = "plain finger still works\n".getBytes(StandardCharsets.UTF_8);
    cluster.startBuild(uuid, content);
    try (RawFingerClient client = RawFingerClient.request(cluster.gateway.port(), uuid + "\n")) {
      assertArrayEquals(content, client.readExactly(content.length));
    }
  }
}
