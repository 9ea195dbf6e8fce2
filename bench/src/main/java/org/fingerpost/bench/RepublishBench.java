package org.fingerpost.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.fingerpost.registry.BuildDirectory;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streamer.StreamerSettings;

/**
 * How long a streamer takes to (re)publish the build nodes of a job directory that already holds
 * builds when it starts ({@code publish_builds}), against a real ZooKeeper (Curator's {@link
 * org.apache.curator.test.TestingServer}, data on disk). Two cases per build count:
 *
 * <ul>
 *   <li><b>cold</b>: no node there; from {@link Streamer#start()} until every build node exists with
 *       this streamer's port and is owned by its session;
 *   <li><b>restart</b>: as after a {@code kill -9}: every node is still there, ephemeral of an older
 *       session, with the old port. From {@link Streamer#start()} until every node carries the new
 *       port ("taken over"), then from the end of the old session until every node is owned by the
 *       new session ("owned"): the time gateways may answer {@code Build not found}.
 * </ul>
 *
 * <p>Usage: {@code RepublishBench [build counts (50,200)] [rounds (3)] [workDir] [resultFile]
 * [servers (1)] [latency ms (0)]}: 1 server runs one {@code TestingServer}, 3 a three-member {@code
 * TestingCluster} (every write a quorum write, as in the fault soak's ensemble); a latency puts a
 * {@link LatencyProxy} delaying each direction by that many milliseconds between the streamer (and
 * the old session) and ZooKeeper, as a remote ensemble on a busy network or disk would.
 */
public final class RepublishBench {
  /** How long one case may take before the benchmark gives up (seconds). */
  static final Duration CASE_TIMEOUT = Duration.ofSeconds(120);
  private static final String ZONE = "zone-a";
  private static final int OLD_PORT = 1;

  private RepublishBench() {}

  public static void main(String[] args) throws Exception {
    List<Integer> counts = new ArrayList<>();
    for (String n : (args.length > 0 ? args[0] : "50,200").split(",")) {
      counts.add(Integer.parseInt(n.trim()));
    }
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path work = Files.createDirectories(Path.of(args.length > 2 ? args[2] : "bench/work"))
        .resolve("republish-" + ProcessHandle.current().pid());
    Path result = args.length > 3 ? Path.of(args[3]) : null;
    int servers = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    Duration latency = Duration.ofMillis(args.length > 5 ? Long.parseLong(args[5]) : 0);

    StringBuilder out = new StringBuilder();
    out.append(String.format("Republish at streamer start, ZooKeeper %s (data on disk), %d ms one-way latency%n",
        servers == 1 ? "TestingServer" : "TestingCluster of " + servers, latency.toMillis()));
    out.append(String.format("%-7s %-6s %12s %18s %18s%n", "builds", "round", "cold (ms)",
        "restart: taken", "restart: owned"));
    try (ZooKeeperServers zk = ZooKeeperServers.start(work.resolve("zk"), servers);
        LatencyProxy proxy = new LatencyProxy(zk.connectString().split(",")[0], latency)) {
      String daemon = latency.isZero() ? zk.connectString() : proxy.connectString();
      int run = 0;
      for (int round = 1; round <= rounds; round++) {
        for (int n : counts) {
          double cold = cold(daemon, zk.connectString(), work.resolve("jobs-" + ++run), n);
          double[] restart = restart(daemon, zk.connectString(), work.resolve("jobs-" + ++run), n);
          out.append(String.format("%-7d %-6d %12.0f %18.0f %18.0f%n", n, round, cold, restart[0], restart[1]));
        }
      }
    }
    PrintStream console = System.out;
    console.print(out);
    if (result != null) {
      Files.createDirectories(result.toAbsolutePath().getParent());
      Files.writeString(result, out.toString());
    }
  }

  /** Milliseconds from start until every build node is this streamer's. */
  static double cold(String connect, String observe, Path jobDir, int n) throws Exception {
    Set<String> ids = writeBuilds(jobDir, n);
    try (Registry registry = connect(connect); Watch watch = new Watch(observe, registry, ids)) {
      try (Streamer streamer = new Streamer(settings(jobDir), registry)) {
        long t0 = System.nanoTime();
        streamer.start();
        long session = session(registry);
        watch.await(d -> isOwnedBy(d, session) && hasPort(d, streamer.port()));
        return (System.nanoTime() - t0) / 1e6;
      }
    }
  }

  /** Milliseconds until every node carries the new port, and from the old session's end until owned. */
  static double[] restart(String connect, String observe, Path jobDir, int n) throws Exception {
    Set<String> ids = writeBuilds(jobDir, n);
    try (Registry registry = connect(connect); Watch watch = new Watch(observe, registry, ids)) {
      CuratorFramework old = CuratorFrameworkFactory.newClient(connect, new RetryOneTime(100));
      old.start();
      if (!old.blockUntilConnected(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("old session did not connect");
      }
      for (String id : ids) {
        old.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
            .forPath(BuildDirectory.requestPath(registry, ZONE, id), body(id, OLD_PORT));
      }
      try (Streamer streamer = new Streamer(settings(jobDir), registry)) {
        long t0 = System.nanoTime();
        streamer.start();
        watch.await(d -> hasPort(d, streamer.port()));
        double taken = (System.nanoTime() - t0) / 1e6;
        long t1 = System.nanoTime();
        old.close(); // the old process's session ends: its ephemeral nodes go at once
        long session = session(registry);
        watch.await(d -> isOwnedBy(d, session) && hasPort(d, streamer.port()));
        return new double[] {taken, (System.nanoTime() - t1) / 1e6};
      } finally {
        old.close();
      }
    }
  }

  private static StreamerSettings settings(Path jobDir) {
    return StreamerSettings.builder(jobDir).port(0).listenAddress("127.0.0.1").hostname("127.0.0.1")
        .zone(ZONE).tenant("bench").build();
  }

  private static Registry connect(String connect) throws InterruptedException {
    Registry registry = Registry.connect(RegistrySettings.builder(connect).build());
    if (!registry.awaitConnected(Duration.ofSeconds(30))) {
      registry.close();
      throw new IllegalStateException("registry did not connect");
    }
    return registry;
  }

  private static Set<String> writeBuilds(Path jobDir, int n) throws Exception {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < n; i++) {
      String id = String.format("%032x", (long) jobDir.hashCode() << 20 | i);
      Path log = jobDir.resolve(id).resolve("work/logs/job-output.txt");
      Files.createDirectories(log.getParent());
      Files.writeString(log, "line\n");
      ids.add(id);
    }
    return ids;
  }

  private static byte[] body(String id, int port) {
    return ("{\"uuid\":\"" + id + "\",\"state\":\"running\",\"tenant_name\":\"bench\",\"worker_info\":"
        + "{\"hostname\":\"127.0.0.1\",\"log_port\":" + port + ",\"zone\":\"" + ZONE + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static boolean isOwnedBy(ChildData d, long session) {
    return d.getStat().getEphemeralOwner() == session;
  }

  private static long session(Registry registry) throws Exception {
    return registry.curator().getZookeeperClient().getZooKeeper().getSessionId();
  }

  private static boolean hasPort(ChildData d, int port) {
    return new String(d.getData(), StandardCharsets.UTF_8).contains("\"log_port\":" + port + ",");
  }

  /** One {@link LocalZooKeeper} or a {@link TestingCluster}. */
  private record ZooKeeperServers(String connectString, AutoCloseable servers) implements AutoCloseable {
    static ZooKeeperServers start(Path dir, int count) throws Exception {
      if (count == 1) {
        LocalZooKeeper zk = LocalZooKeeper.start(dir, 0);
        return new ZooKeeperServers(zk.connectString(), zk);
      }
      TestingCluster cluster = new TestingCluster(count);
      cluster.start();
      return new ZooKeeperServers(cluster.getConnectString(), cluster);
    }

    @Override
    public void close() throws Exception {
      servers.close();
    }
  }

  /** Watches the build nodes through a cache of its own client; no polling. */
  private static final class Watch implements AutoCloseable {
    private final CuratorFramework client;
    private final CuratorCache cache;
    private final String parent;
    private final Set<String> ids;
    private volatile Predicate<ChildData> wanted = d -> false;
    private volatile CountDownLatch done = new CountDownLatch(1);

    Watch(String connect, Registry registry, Set<String> ids) throws InterruptedException {
      this.ids = ids;
      this.parent = ZKPaths.getPathAndNode(BuildDirectory.requestPath(registry, ZONE, "0")).getPath();
      client = CuratorFrameworkFactory.newClient(connect, new RetryOneTime(100));
      client.start();
      if (!client.blockUntilConnected(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("observer did not connect");
      }
      cache = CuratorCache.build(client, parent);
      cache.listenable().addListener(CuratorCacheListener.builder().afterInitialized()
          .forAll((type, before, after) -> check()).build());
      cache.start();
    }

    /** Waits until every build's node satisfies {@code test}. */
    void await(Predicate<ChildData> test) throws InterruptedException {
      done = new CountDownLatch(1);
      wanted = test;
      check();
      if (!done.await(CASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("build nodes not as wanted after " + CASE_TIMEOUT);
      }
    }

    private void check() {
      for (String id : ids) {
        ChildData d = cache.get(ZKPaths.makePath(parent, id)).orElse(null);
        if (d == null || !wanted.test(d)) {
          return;
        }
      }
      done.countDown();
    }

    @Override
    public void close() {
      cache.close();
      client.close();
    }
  }
}
