package org.fingerpost.testing;

import java.io.File;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingServer;
import org.apache.curator.test.Timing;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * The tests' ZooKeeper: Curator's in-process {@link TestingServer} with a short tick (fast session
 * expiry), a plain client to check what is really stored, and real session expiry. Stateless; the
 * caller owns (and closes) every server and client it gets.
 */
public final class TestZooKeeper {
  /** ZooKeeper tick of test servers, in ms; sessions may be 2..20 ticks. */
  public static final int TICK_MS = 100;
  /** Session timeout of test clients: short so that expiry-driven tests stay fast. */
  public static final Duration SESSION_TIMEOUT = Duration.ofMillis(2_000);
  /** Connection timeout of test clients. */
  public static final Duration CONNECTION_TIMEOUT = Duration.ofMillis(1_000);
  /** How long a connect or a latch in these tests may take before the test fails. */
  public static final Duration AWAIT = Await.DEFAULT;
  /** Curator's test timing, used for latches. */
  public static final Timing TIMING = new Timing(AWAIT.toMillis(), TimeUnit.MILLISECONDS);

  private TestZooKeeper() {}

  /** A started server with a short tick, on a random port. */
  public static TestingServer server() throws Exception {
    return server(-1);
  }

  /** A started server with a short tick on {@code port} (-1: random). */
  public static TestingServer server(int port) throws Exception {
    InstanceSpec spec = new InstanceSpec((File) null, port, -1, -1, true, -1, TICK_MS, -1);
    return new TestingServer(spec, true);
  }

  /** A plain, connected Curator client for checking what is really in ZooKeeper. */
  public static CuratorFramework observer(TestingServer server) throws InterruptedException {
    CuratorFramework c = CuratorFrameworkFactory.newClient(server.getConnectString(),
        (int) SESSION_TIMEOUT.toMillis(), (int) CONNECTION_TIMEOUT.toMillis(), new RetryOneTime(100));
    c.start();
    if (!c.blockUntilConnected((int) AWAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      c.close();
      throw new AssertionError("observer did not connect to " + server.getConnectString());
    }
    return c;
  }

  /**
   * Expires {@code client}'s session for real: the client's handle is killed (it gets Expired and
   * Curator opens a new session) and a second handle on the same session closes it on the server, so
   * its ephemeral nodes go at once instead of after the session timeout.
   */
  public static void expireSession(CuratorFramework client, String connectString) throws Exception {
    ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
    long sessionId = zk.getSessionId();
    byte[] password = zk.getSessionPasswd();
    KillSession.kill(zk);
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper twin = new ZooKeeper(connectString, (int) SESSION_TIMEOUT.toMillis(), event -> {
      if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    }, sessionId, password);
    try {
      TIMING.awaitLatch(connected);
    } finally {
      twin.close();
    }
  }

  /** The session id of {@code client}'s current handle. */
  public static long sessionId(CuratorFramework client) throws Exception {
    return client.getZookeeperClient().getZooKeeper().getSessionId();
  }
}
