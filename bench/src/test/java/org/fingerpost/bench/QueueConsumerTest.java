package org.fingerpost.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real ZooKeeper: the consumer empties a queue as it is written, and waits for one not made yet. */
class QueueConsumerTest {
  static final String QUEUE = "/zuul/events/connection/github/events/queue";
  static final long AWAIT_MS = 20_000;

  TestingServer zooKeeper;
  CuratorFramework writer;
  CuratorFramework reader;

  @BeforeEach
  void start() throws Exception {
    zooKeeper = new TestingServer(true);
    writer = client();
    reader = client();
  }

  CuratorFramework client() throws InterruptedException {
    CuratorFramework c = CuratorFrameworkFactory.newClient(zooKeeper.getConnectString(), new RetryOneTime(100));
    c.start();
    assertTrue(c.blockUntilConnected(20, TimeUnit.SECONDS));
    return c;
  }

  @AfterEach
  void stop() throws Exception {
    reader.close();
    writer.close();
    zooKeeper.close();
  }

  @Test
  void everyNodeWrittenWhileItRunsIsDeletedOnce() throws Exception {
    try (QueueConsumer consumer = new QueueConsumer(reader, QUEUE)) { // before the queue exists
      writer.create().creatingParentsIfNeeded().forPath(QUEUE);
      for (int i = 0; i < 300; i++) {
        writer.create().withMode(CreateMode.PERSISTENT_SEQUENTIAL).forPath(QUEUE + "/q", new byte[100]);
      }
      awaitEmpty();
      assertEquals(300, consumer.stop(), "each node deleted once, none missed");
    }
  }

  @Test
  void stoppedItLeavesWhatComesAfter() throws Exception {
    writer.create().creatingParentsIfNeeded().forPath(QUEUE);
    QueueConsumer consumer = new QueueConsumer(reader, QUEUE);
    writer.create().withMode(CreateMode.PERSISTENT_SEQUENTIAL).forPath(QUEUE + "/q");
    awaitEmpty();
    assertEquals(1, consumer.stop());
    writer.create().withMode(CreateMode.PERSISTENT_SEQUENTIAL).forPath(QUEUE + "/q");
    assertEquals(1, writer.getChildren().forPath(QUEUE).size(), "a stopped consumer deletes nothing");
  }

  /** Waits, on the queue's watch, until it has no children. */
  void awaitEmpty() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AWAIT_MS);
    while (true) {
      CountDownLatch changed = new CountDownLatch(1);
      List<String> left = writer.getChildren().usingWatcher((Watcher) e -> changed.countDown()).forPath(QUEUE);
      if (left.isEmpty()) {
        return;
      }
      long remaining = deadline - System.nanoTime();
      assertTrue(remaining > 0 && changed.await(remaining, TimeUnit.NANOSECONDS), "still queued: " + left.size());
    }
  }
}
