package org.fingerpost.registry.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.data.Stat;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher against a real ZooKeeper. Its in-flight slots are held deterministically: the outcomes
 * of the first creates block ZooKeeper's event thread until released, so what is created meanwhile
 * must wait and go in one transaction.
 */
class QueueNodeBatcherTest {
  static final Duration AWAIT = Duration.ofSeconds(30);
  static final String QUEUE_A = "/zuul/events/connection/a/events/queue";
  static final String QUEUE_B = "/zuul/events/connection/b/events/queue";

  TestingServer server;
  Registry registry;
  EventQueues queues;
  final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws Exception {
    server = new TestingServer(new InstanceSpec((File) null, -1, -1, -1, true, -1, 100, -1), true);
    registry = Registry.connect(RegistrySettings.builder(server.getConnectString()).build());
    assertTrue(registry.awaitConnected(AWAIT));
    queues = new EventQueues(registry, Duration.ofSeconds(20), true);
    registry.curator().create().creatingParentsIfNeeded().forPath(QUEUE_A);
    registry.curator().create().creatingParentsIfNeeded().forPath(QUEUE_B);
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    queues.close();
    registry.close();
    server.close();
  }

  /** An outcome that records its code and node name; {@code hold} blocks the event thread until released. */
  final class Recorded implements QueueNodeBatcher.Outcome {
    final CompletableFuture<String> result = new CompletableFuture<>();
    final boolean hold;
    volatile Code code;

    Recorded(boolean hold) {
      this.hold = hold;
    }

    @Override
    public Runnable created(Code code, String name, Stat stat) {
      this.code = code;
      if (hold) {
        try {
          release.await(AWAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return () -> result.complete(code == Code.OK ? name : null);
    }

    @Override
    public boolean pending() {
      return true;
    }

    @Override
    public void abandoned(String reason) {
      result.completeExceptionally(new IllegalStateException(reason));
    }

    String name() throws Exception {
      return result.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** Occupies every in-flight slot with a lone create whose outcome blocks until {@link #release}. */
  List<Recorded> holdEverySlot() {
    List<Recorded> held = new ArrayList<>();
    for (int i = 0; i < QueueNodeBatcher.MAX_BATCHES_IN_FLIGHT; i++) {
      Recorded r = new Recorded(true);
      queues.batcher.create(QUEUE_A + "/q", bytes("held " + i), r);
      held.add(r);
    }
    return held;
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  long czxid(String path) throws Exception {
    return registry.curator().checkExists().forPath(path).getCzxid();
  }

  @Test
  void putsArrivingWhileSlotsAreBusyGoInOneTransactionInOrder() throws Exception {
    List<Recorded> held = holdEverySlot();
    List<Recorded> waiting = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Recorded r = new Recorded(false);
      queues.batcher.create((i % 2 == 0 ? QUEUE_A : QUEUE_B) + "/q", bytes("event " + i), r);
      waiting.add(r);
    }
    assertEquals(10, queues.batcher.waiting());
    release.countDown();

    Set<Long> heldZxids = new HashSet<>();
    for (Recorded r : held) {
      heldZxids.add(czxid(r.name()));
    }
    assertEquals(held.size(), heldZxids.size(), "lone creates are transactions of their own");
    Set<Long> batchZxids = new HashSet<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < waiting.size(); i++) {
      String name = waiting.get(i).name();
      assertEquals("event " + i, new String(registry.curator().getData().forPath(name), StandardCharsets.UTF_8));
      batchZxids.add(czxid(name));
      names.add(name);
    }
    assertEquals(1, batchZxids.size(), "the ten waiting puts share one transaction");
    for (int i = 2; i < names.size(); i++) {
      // Each queue's sequence numbers follow the order of submission.
      assertTrue(names.get(i).compareTo(names.get(i - 2)) > 0, names.toString());
    }
    assertEquals(0, queues.batcher.waiting());
  }

  @Test
  void aTransactionRefusedForOneEventIsRetriedEventByEvent() throws Exception {
    holdEverySlot();
    Recorded toA = new Recorded(false);
    Recorded toMissing = new Recorded(false);
    Recorded toB = new Recorded(false);
    queues.batcher.create(QUEUE_A + "/q", bytes("a"), toA);
    queues.batcher.create("/zuul/events/connection/gone/events/queue/q", bytes("lost"), toMissing);
    queues.batcher.create(QUEUE_B + "/q", bytes("b"), toB);
    release.countDown();

    assertEquals("a", new String(registry.curator().getData().forPath(toA.name()), StandardCharsets.UTF_8));
    assertEquals("b", new String(registry.curator().getData().forPath(toB.name()), StandardCharsets.UTF_8));
    assertNull(toMissing.name());
    assertEquals(Code.NONODE, toMissing.code);
    assertTrue(czxid(toA.name()) != czxid(toB.name()), "retried alone, not in one transaction");
  }

  @Test
  void withoutBatchingEveryPutIsSentAtOnceAsATransactionOfItsOwn() throws Exception {
    queues.close();
    queues = new EventQueues(registry, Duration.ofSeconds(20), false);
    holdEverySlot();
    List<Recorded> puts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Recorded r = new Recorded(false);
      queues.batcher.create(QUEUE_B + "/q", bytes("event " + i), r);
      puts.add(r);
    }
    assertEquals(0, queues.batcher.waiting(), "nothing waits for a slot");
    release.countDown();
    Set<Long> zxids = new HashSet<>();
    for (Recorded r : puts) {
      zxids.add(czxid(r.name()));
    }
    assertEquals(10, zxids.size(), "one czxid per event, as Zuul's own writer makes them");
  }

  @Test
  void aLonePutIsAPlainCreateAtOnce() throws Exception {
    Recorded r = new Recorded(false);
    queues.batcher.create(QUEUE_B + "/q", bytes("alone"), r);
    assertNotNull(r.name());
    assertEquals(Code.OK, r.code);
    assertEquals(0, queues.batcher.waiting());
  }

  @Test
  void aBatchNeverExceedsItsByteLimit() throws Exception {
    holdEverySlot();
    int size = QueueNodeBatcher.MAX_BATCH_BYTES / 3;
    List<Recorded> big = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Recorded r = new Recorded(false);
      queues.batcher.create(QUEUE_A + "/q", new byte[size], r);
      big.add(r);
    }
    release.countDown();
    Set<Long> zxids = new HashSet<>();
    for (Recorded r : big) {
      zxids.add(czxid(r.name()));
    }
    // Two events of a third of the limit each (plus paths) fit in one transaction, three do not.
    assertEquals(3, zxids.size());
  }
}
