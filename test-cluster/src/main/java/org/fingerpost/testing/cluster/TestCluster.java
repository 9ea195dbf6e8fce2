package org.fingerpost.testing.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.fingerpost.registry.BuildDirectory;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistryUnavailableException;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streamer.StreamerSettings;
import org.fingerpost.testing.Await;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;

/**
 * Zones for real, on loopback ports chosen by the OS: one in-process ZooKeeper server, registry
 * sessions, streamers over job directories, transports from the test's classpath (finger, tls, relay
 * as in the fat jar), and the fronts the test adds with {@link #own}. Closing the cluster closes every
 * part in reverse order, then the server.
 *
 * <p>Subclass it to add a front (see the package comment). Threads: build it on the test thread; the
 * query methods may be called from any thread.
 */
public class TestCluster implements AutoCloseable {
  /** The tenant the streamers write into their build nodes. */
  public static final String TENANT = "tenant-one";
  /** Connection timeout of the cluster's registry sessions. */
  public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  public final TestingServer zk;
  private final Duration sessionTimeout;
  private final Deque<AutoCloseable> parts = new ArrayDeque<>();
  private Registry observer;
  /** The fronts' watched copies of the builds: a build started or written here is awaited in each. */
  private final List<BuildDirectory> frontCopies = new CopyOnWriteArrayList<>();

  /** Starts the ZooKeeper server; sessions opened here use {@code sessionTimeout}. */
  public TestCluster(Duration sessionTimeout) throws Exception {
    this.sessionTimeout = sessionTimeout;
    zk = new TestingServer(true);
  }

  /** A new registry session, closed with the cluster. */
  public Registry registry() {
    return own(Registry.connect(RegistrySettings.builder(zk.getConnectString())
        .sessionTimeout(sessionTimeout).connectionTimeout(CONNECTION_TIMEOUT).build()));
  }

  /**
   * The client {@link #exists}, {@link #childCount} and {@link #writeBuildNode} use: by default a
   * session of its own. A subclass whose front shares one session with its streamer returns that
   * session, so that "the node is visible" also means "that session is connected again".
   */
  public synchronized CuratorFramework zkClient() {
    if (observer == null) {
      observer = registry();
    }
    return observer.curator();
  }

  /** Transports found on the test's classpath (and in {@code pluginsDir}, if not null). */
  public Transports transports(Path pluginsDir) {
    return transports(pluginsDir, TransportSettings.EMPTY);
  }

  /** Transports found on the test's classpath (and in {@code pluginsDir}), started with {@code settings}. */
  public Transports transports(Path pluginsDir, TransportSettings settings) {
    return own(Transports.load(TestCluster.class.getClassLoader(), pluginsDir, settings));
  }

  /** A started streamer of {@code zone} (null: unzoned) over {@code jobDir}, on {@code registry}. */
  public Node<Streamer> streamer(Registry registry, Path jobDir, String zone, boolean publishBuilds)
      throws Exception {
    return streamer(registry, StreamerSettings.builder().listenAddress("127.0.0.1").port(0).hostname("127.0.0.1")
        .jobDir(jobDir).zone(zone).tenant(TENANT).publishBuilds(publishBuilds).build());
  }

  /** A started streamer configured by the test (TLS, hostname, ...), on {@code registry}. */
  public Node<Streamer> streamer(Registry registry, StreamerSettings config) throws Exception {
    Streamer s = new Streamer(config, registry);
    s.start();
    return new Node<>(own(s), registry, config.jobDir());
  }

  /** A started streamer of {@code zone} with its own session, over a fresh job directory in {@code dir}. */
  public Node<Streamer> streamer(Path dir, String zone) throws Exception {
    return streamer(registry(), Files.createTempDirectory(dir, "jobs-" + zone + "-"), zone, true);
  }

  /**
   * Registers a front's watched copy of the builds: {@link #startBuildSeen} and {@link #writeBuildNode}
   * then return only once it sees the build. A watched copy answers a miss itself (issue 15), so a
   * request sent the instant a node was created may otherwise find nothing yet.
   */
  public void watchedBy(BuildDirectory frontCopy) {
    frontCopies.add(frontCopy);
  }

  /** Waits until every registered front copy that can answer (its session connected) has build {@code uuid}. */
  public void awaitSeen(String uuid) {
    for (BuildDirectory copy : frontCopies) {
      Await.until("build " + uuid + " in a front's watched copy", () -> {
        try {
          return copy.find(uuid).isPresent();
        } catch (RegistryUnavailableException e) {
          return true; // that front cannot answer now anyway
        }
      });
    }
  }

  /** As {@link #startBuild}, then waits until the fronts' watched copies see the build ({@link #watchedBy}). */
  public Path startBuildSeen(Node<Streamer> streamer, String uuid, byte[] content) throws Exception {
    Path log = startBuild(streamer, uuid, content);
    awaitSeen(uuid);
    return log;
  }

  /**
   * Registers an executor component as a Zuul executor (no {@code log_port}: {@code logPort} null) or a
   * Fingerpost streamer (with it) does, ephemeral on {@link #zkClient()}'s session: the stream fronts dial
   * a build's worker only where such an entry serves it.
   */
  public void registerExecutor(String hostname, Integer logPort) throws Exception {
    String json = "{\"kind\": \"executor\", \"hostname\": \"" + hostname + "\", \"state\": \"running\", "
        + "\"version\": \"test\", \"accepting_work\": true"
        + (logPort == null ? "" : ", \"log_port\": " + logPort) + "}";
    zkClient().create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
        .forPath("/zuul/components/executor/" + hostname + "-", json.getBytes(StandardCharsets.UTF_8));
  }

  /** Closes {@code part} with the cluster (before the parts made earlier). */
  public synchronized <T extends AutoCloseable> T own(T part) {
    parts.push(part);
    return part;
  }

  public static String newBuildId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** Where an executor writes the log of build {@code uuid}. */
  public static Path logFile(Path jobDir, String uuid) {
    return jobDir.resolve(uuid).resolve("work/logs/job-output.txt");
  }

  /** Writes a build's log the way an executor does, and waits until its streamer published it. */
  public static Path startBuild(Node<Streamer> streamer, String uuid, byte[] content) throws Exception {
    Path log = logFile(streamer.jobDir, uuid);
    Files.createDirectories(log.getParent());
    Files.write(log, content);
    String path = BuildDirectory.requestPath(streamer.registry, streamer.component.config().zone(), uuid);
    Await.until("build node " + path, () -> streamer.registry.curator().checkExists().forPath(path) != null);
    return log;
  }

  public static void append(Path log, byte[] bytes) throws IOException {
    try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
      out.write(bytes);
    }
  }

  /** The executor cleans the build's job directory: its stream ends. */
  public static void endBuild(Path jobDir, String uuid) throws IOException {
    try (Stream<Path> paths = Files.walk(jobDir.resolve(uuid))) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /**
   * Writes a build node by hand, as a Zuul executor does, and waits until the fronts' watched copies
   * see it ({@link #watchedBy}).
   */
  public void writeBuildNode(String path, String json) throws Exception {
    zkClient().create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT)
        .forPath(path, json.getBytes(StandardCharsets.UTF_8));
    String uuid = path.substring(path.lastIndexOf('/') + 1);
    if (BuildDirectory.isBuildId(uuid) && isJsonObject(json)) { // a node with bad JSON is never found
      awaitSeen(uuid);
    }
  }

  private static boolean isJsonObject(String json) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).isObject();
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether {@code path} exists (false while ZooKeeper cannot answer). */
  public boolean exists(String path) {
    try {
      return zkClient().checkExists().forPath(path) != null;
    } catch (Exception e) {
      return false;
    }
  }

  /** How many children {@code path} has (0 if absent, -1 while ZooKeeper cannot answer). */
  public int childCount(String path) {
    try {
      CuratorFramework c = zkClient();
      return c.checkExists().forPath(path) == null ? 0 : c.getChildren().forPath(path).size();
    } catch (Exception e) {
      return -1;
    }
  }

  @Override
  public void close() throws IOException {
    while (true) {
      AutoCloseable part;
      synchronized (this) {
        part = parts.poll();
      }
      if (part == null) {
        break;
      }
      try {
        part.close();
      } catch (Exception e) {
        // keep closing the rest: one broken part must not leak the others
      }
    }
    zk.close();
  }

  /** A started component with its registry session (and, for a streamer, its job directory). */
  public static final class Node<T> {
    public final T component;
    public final Registry registry;
    public final Path jobDir;

    public Node(T component, Registry registry, Path jobDir) {
      this.component = component;
      this.registry = registry;
      this.jobDir = jobDir;
    }
  }
}
