package org.fingerpost.streamer;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.registry.Registry;
import org.fingerpost.streamer.internal.FileChangeNotifier;
import org.fingerpost.streamer.internal.LogRequests;
import org.fingerpost.streamer.internal.RegistryPresence;
import org.fingerpost.transport.finger.FingerServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor-side log streamer: serves {@code <job_dir>/<uuid>/work/logs/job-output.txt} over the
 * finger protocol (docs/design.md 3.1) and announces itself, and optionally its builds, in the registry
 * (docs/design.md 3.3).
 *
 * <p><b>Protocol.</b> A client sends {@code <uuid>\n} ({@code \r\n} and {@code finger -l}'s {@code /W}
 * prefix accepted) and receives the log's bytes from 0, then appended bytes, until the file is
 * removed; then the connection closes. A truncated or replaced file is re-read from its start. Errors
 * are one plain-text message without newline, then close: {@code Build ID <id> is not valid}, {@code
 * Build ID <id> not found} (no {@code <job_dir>/<id>} directory), {@code Log not found for build ID
 * <id>} (directory without log file), and {@code Internal streaming error} if the file cannot be read.
 * No symbolic link below {@code job_dir} is followed: such a build is answered as not found.
 * Every reader of a build gets its own independent stream.
 *
 * <p><b>Registry.</b> With a {@link Registry}, registers an {@code executor} component ({@code
 * hostname}, {@code zone}, {@code version}, {@code log_port}), {@code initializing} until the finger
 * port listens, then {@code running}; when {@link StreamerSettings#publishBuilds()} also keeps a build
 * node, with {@code worker_info {hostname, log_port, zone}}, for each build whose log is in the job
 * directory, and removes it when the log or the build directory goes. Registry trouble never stops
 * streaming: it is logged and retried by the registry classes.
 *
 * <p><b>Threads.</b> No thread per stream: Jetty's pool of the finger server does the network I/O,
 * {@value #READ_THREADS} shared threads read log files in chunks of {@link
 * StreamerSettings#chunkBytes()} (each stream has at most one chunk in flight, so memory per stream is
 * bounded), one thread waits for file change events and one runs the fallback poll; with build
 * publishing, one more thread scans the job directory and writes the build nodes, so a slow registry
 * never delays log bytes. Their creates are pipelined (not one round trip per build), so a start
 * with many builds in the job directory, as after a restart, publishes them all at once; {@link
 * #close()} waits for the creates under way (at most {@link #SHUTDOWN_TIMEOUT}) before it removes
 * the nodes, so none is created after it returns (a create ZooKeeper answers later still is deleted
 * as soon as it lands).
 *
 * <p><b>Ownership.</b> The caller owns the streamer (and separately the registry, which it closes
 * after the streamer). {@link #start()} once, {@link #close()} once done; both are thread-safe.
 */
public final class Streamer implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Streamer.class);

  /** The component kind the streamer registers as (Zuul's executor). */
  public static final String COMPONENT_KIND = "executor";
  /** The extra component key advertising the finger port. */
  public static final String LOG_PORT_KEY = org.fingerpost.registry.ZoneRouter.LOG_PORT_KEY;
  /** Name of the finger server: its thread pool, connector and log lines. */
  public static final String SERVER_NAME = "streamer";
  /** Threads reading log files, shared by every stream (count). */
  public static final int READ_THREADS = 4;
  /**
   * How long {@link #close()} waits for a registry write under way (publishing or removing a build
   * node) before removing all build nodes anyway.
   */
  public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  /** The version in the component entry, from the build (Maven resource filtering). */
  static final String VERSION = loadVersion();

  private enum Phase { NEW, STARTED, CLOSED }

  private final StreamerSettings config;
  private final Registry registry;
  private final LogRequests requests;

  // Set by start() before the server accepts (so handler threads see them), released by close().
  private volatile Phase phase = Phase.NEW;
  private volatile FileChangeNotifier notifier;
  private volatile ExecutorService readPool;
  private FingerServer server;
  private int boundPort = -1;
  private volatile RegistryPresence presence;

  /**
   * @param config the settings
   * @param registry where to register; null runs without any registry (streaming only). Not owned.
   */
  public Streamer(StreamerSettings config, Registry registry) {
    this.config = Objects.requireNonNull(config, "config");
    this.registry = registry;
    this.requests = new LogRequests(config.jobDir(), config.chunkBytes());
  }

  /**
   * Binds the finger port, registers the component and starts discovering builds.
   *
   * <p>Blocks for at most a few seconds: when ZooKeeper is connected, until the component node is
   * created; without a connection it returns and the node appears later. Build nodes are written in
   * the background by the first scan of the job directory, right after.
   *
   * @throws IOException when the port cannot be bound or the server does not start; everything
   *     started so far is stopped again
   * @throws IllegalStateException when called twice or after {@link #close()}
   */
  public synchronized void start() throws IOException {
    if (phase != Phase.NEW) {
      throw new IllegalStateException("Streamer already " + phase.name().toLowerCase(java.util.Locale.ROOT));
    }
    phase = Phase.STARTED;
    try {
      if (!Files.isDirectory(config.jobDir())) {
        LOG.warn("Job directory {} does not exist (yet): every request gets 'not found' until it does",
            config.jobDir());
      }
      notifier = FileChangeNotifier.start(config.pollInterval());
      readPool = Executors.newFixedThreadPool(READ_THREADS, daemonThreads("streamer-read-"));
      requests.serveWith(notifier, readPool);
      if (registry != null) {
        // The configured port until the real one is known (port 0 picks it when binding).
        presence = new RegistryPresence(registry, new RegistryPresence.Identity(COMPONENT_KIND,
            config.hostname(), config.zone(), VERSION, config.sslContextFactory() != null),
            config.port() > 0 ? config.port() : null);
        presence.register();
      }
      server = FingerServer.builder()
          .name(SERVER_NAME)
          .host(config.listenAddress())
          .port(config.port())
          .handler(requests::handle)
          .sslContextFactory(config.sslContextFactory())
          .connectionLimits(config.connectionLimits())
          .build();
      server.start();
      boundPort = server.port();
      if (presence != null) {
        presence.serving(boundPort, config.publishBuilds() ? new RegistryPresence.BuildNodes(config.tenant(),
            config.jobDir(), notifier, daemonThreads("streamer-builds-"), SHUTDOWN_TIMEOUT) : null);
      }
      LOG.info("Streamer serving {} on {} port {} as {} (zone {}, registry {}, publishing builds {})",
          config.jobDir(), config.listenAddress(), boundPort, config.hostname(),
          config.zone() == null ? "none" : config.zone(), registry == null ? "none" : registry.root(),
          presence != null && presence.publishesBuilds());
    } catch (Exception e) {
      shutdown();
      phase = Phase.CLOSED;
      if (e instanceof IOException) {
        throw (IOException) e;
      }
      if (e instanceof RuntimeException) {
        throw (RuntimeException) e;
      }
      throw new IOException("Cannot start the streamer on " + config.listenAddress() + " port "
          + config.port() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The bound finger port (the real one when configured with 0); -1 before {@link #start()}. Still
   * answers after {@link #close()}, with the port that was bound.
   */
  public synchronized int port() {
    return boundPort;
  }

  /**
   * The state of this streamer's registration: {@code INITIALIZING} before {@link #start()}, then as
   * registered ({@code RUNNING} once serving; without a registry, once started), {@code STOPPED} once
   * {@link #close()} is called. Thread-safe, never blocks (not even while start or close run).
   */
  public ComponentState state() {
    Phase p = phase;
    RegistryPresence r = presence;
    if (p == Phase.CLOSED) {
      return ComponentState.STOPPED;
    }
    if (r != null) {
      return r.state();
    }
    return p == Phase.STARTED && registry == null ? ComponentState.RUNNING : ComponentState.INITIALIZING;
  }

  /** The configuration. */
  public StreamerSettings config() {
    return config;
  }

  /** Streams open now (each holds one log file open); for metrics and tests. */
  public int activeStreams() {
    return requests.count();
  }

  /**
   * Waits until no stream is open (every follower released its file), at most {@code timeout}.
   *
   * @return whether none is open
   */
  boolean awaitNoStreams(Duration timeout) throws InterruptedException {
    return requests.awaitNone(timeout);
  }

  /**
   * The builds found in the job directory and published (empty when not publishing); for health
   * and tests.
   */
  public synchronized Set<String> publishedBuilds() {
    return presence == null ? Set.of() : presence.publishedBuilds();
  }

  /**
   * Stops: marks the component {@code stopped}, removes the build nodes, deregisters, stops the
   * finger server (open streams end and release their files), then the watchers and threads.
   * Idempotent; registry trouble is logged, not thrown.
   */
  @Override
  public synchronized void close() {
    if (phase == Phase.CLOSED) {
      return;
    }
    boolean started = phase == Phase.STARTED;
    phase = Phase.CLOSED;
    if (started) {
      shutdown();
      LOG.info("Streamer on port {} stopped", boundPort);
    }
  }

  /** Releases whatever start() acquired, in the order of {@link #close()}; tolerates partial starts. */
  private void shutdown() {
    if (presence != null) {
      presence.close(); // stopped, build nodes removed, deregistered
    }
    if (server != null) {
      server.close(); // closes every exchange, whose onClose closes its follower
    }
    requests.closeAll(); // normally done already through the exchanges
    if (notifier != null) {
      notifier.close();
    }
    if (readPool != null) {
      // Not shutdownNow: the followers' last task releases their files; it is quick.
      readPool.shutdown();
    }
  }

  private static String loadVersion() {
    try (InputStream in = Streamer.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.isBlank() && !v.contains("${")) {
          return v.trim();
        }
      }
    } catch (IOException e) {
      LOG.debug("Cannot read version.properties", e);
    }
    String v = Streamer.class.getPackage().getImplementationVersion();
    return v != null ? v : "unknown";
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
