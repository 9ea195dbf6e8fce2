package org.fingerpost.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.fingerpost.streams.StreamRouter;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RawFingerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * ZooKeeper unreachable: open streams keep flowing, a new request gets {@code Internal streaming
 * error} without waiting (the log says the registry is down), and everything recovers without a
 * restart once ZooKeeper is back.
 */
class GatewayRegistryDownTest {
  @TempDir
  Path jobDir;
  GatewayCluster cluster;
  ListAppender<ILoggingEvent> logs;

  @BeforeEach
  void start() throws Exception {
    cluster = GatewayCluster.start(jobDir);
    logs = new ListAppender<>();
    logs.start();
    ((Logger) LoggerFactory.getLogger(StreamRouter.class)).addAppender(logs);
  }

  @AfterEach
  void stop() throws Exception {
    ((Logger) LoggerFactory.getLogger(StreamRouter.class)).detachAppender(logs);
    cluster.close();
  }

  @Test
  void registryDownFailsNewRequestsFastKeepsOpenStreamsAndRecovers() throws Exception {
    String uuid = GatewayCluster.newBuildId();
    byte[] before = "before the outage\n".getBytes(StandardCharsets.UTF_8);
    Path log = cluster.startBuild(uuid, before);
    try (RawFingerClient open = RawFingerClient.request(cluster.gateway.port(), uuid + "\n")) {
      assertArrayEquals(before, open.readExactly(before.length));

      cluster.zk.stop();
      Await.until("registry notices the outage", () -> !cluster.registry.isConnected());

      byte[] during = "written while ZooKeeper is down\n".getBytes(StandardCharsets.UTF_8);
      Files.write(log, during, StandardOpenOption.APPEND);
      assertArrayEquals(during, open.readExactly(during.length), "the open stream keeps flowing");

      // The answer comes from the connection state, not a read timeout: the client's read timeout
      // (RawFingerClient.READ_TIMEOUT_MS) would fail this long before a hang could pass.
      // Another build: a new client of the open build would join its shared upstream (issue 6), no lookup.
      assertEquals("Internal streaming error",
          RawFingerClient.fetchText(cluster.gateway.port(), GatewayCluster.newBuildId() + "\n"));
      assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("Registry is down")),
          "the log says the registry is down");

      cluster.zk.restart();
      Await.until("registry reconnected", () -> cluster.registry.isConnected());
      Await.until("gateway registered again", () -> cluster.childCount("/zuul/components/fingergw") == 1);
      Await.until("build node back", () -> cluster.exists("/zuul/executor/unzoned/requests/" + uuid));
      cluster.awaitSeen(uuid); // and in the gateway's watched copy, which answers misses
      byte[] all = Files.readAllBytes(log);
      try (RawFingerClient again = RawFingerClient.request(cluster.gateway.port(), uuid + "\n")) {
        assertArrayEquals(all, again.readExactly(all.length), "new requests work again, no restart");
      }
      byte[] after = "after the outage\n".getBytes(StandardCharsets.UTF_8);
      Files.write(log, after, StandardOpenOption.APPEND);
      assertArrayEquals(after, open.readExactly(after.length), "the first stream survived it all");
    }
  }
}
