package org.fingerpost.registry.tenants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.fingerpost.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kazoo's lock protocol against a real ZooKeeper: node names, ordering, exclusion, cleanup. */
class KazooLockTest {
  static final String LOCK = "/zuul/system/conf-lock";
  private TestingServer server;
  private CuratorFramework curator;

  @BeforeEach
  void start() throws Exception {
    server = new TestingServer(true);
    curator = client(server);
  }

  static CuratorFramework client(TestingServer server) throws InterruptedException {
    CuratorFramework c = CuratorFrameworkFactory.newClient(server.getConnectString(), 5_000, 2_000,
        new RetryOneTime(100));
    c.start();
    assertTrue(c.blockUntilConnected(15, TimeUnit.SECONDS));
    return c;
  }

  @AfterEach
  void stop() throws Exception {
    curator.close();
    server.close();
  }

  @Test
  void nodesAreNamedAsKazooNamesThem() throws Exception {
    try (KazooLock read = KazooLock.read(curator, LOCK).acquire(Duration.ofSeconds(5))) {
      assertTrue(read.node().matches("[0-9a-f]{32}__rlock__\\d{10}"), read.node());
    }
    try (KazooLock write = KazooLock.write(curator, LOCK).acquire(Duration.ofSeconds(5))) {
      assertTrue(write.node().matches("[0-9a-f]{32}__lock__\\d{10}"), write.node());
    }
    assertEquals(List.of(), curator.getChildren().forPath(LOCK), "released nodes are deleted");
  }

  @Test
  void readersShareAndWaitForAnEarlierWriter() throws Exception {
    KazooLock r1 = KazooLock.read(curator, LOCK).acquire(Duration.ofSeconds(5));
    KazooLock r2 = KazooLock.read(curator, LOCK).acquire(Duration.ofSeconds(5));
    // A writer queues behind both readers.
    CompletableFuture<KazooLock> writer = CompletableFuture.supplyAsync(() -> {
      try {
        return KazooLock.write(curator, LOCK).acquire(Duration.ofSeconds(10));
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    awaitChildren(3);
    assertFalse(writer.isDone());
    r1.release();
    assertFalse(writer.isDone());
    r2.release();
    KazooLock w = writer.get(10, TimeUnit.SECONDS);
    // A reader after the writer waits for it, and a timeout removes its node.
    assertThrows(TimeoutException.class, () -> KazooLock.read(curator, LOCK).acquire(Duration.ofMillis(300)));
    assertEquals(1, curator.getChildren().forPath(LOCK).size(), "the timed-out reader left no node");
    w.release();
    KazooLock.read(curator, LOCK).acquire(Duration.ofSeconds(5)).release();
  }

  @Test
  void ordersByTheSequenceAfterTheMarker() {
    assertEquals(List.of("b__lock__0000000001", "a__rlock__0000000002", "c__lock__0000000003", "lease"),
        KazooLock.sorted(List.of("lease", "c__lock__0000000003", "a__rlock__0000000002", "b__lock__0000000001")));
  }

  private void awaitChildren(int n) {
    Await.until("contenders appear", Duration.ofSeconds(10), () -> curator.getChildren().forPath(LOCK).size() >= n);
  }
}
