package org.fingerpost.streams;

import java.io.Closeable;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.fingerpost.registry.BuildDirectory;
import org.fingerpost.registry.ComponentDirectory;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistryUnavailableException;
import org.fingerpost.registry.ZoneRouter;
import org.fingerpost.streams.internal.ResumingStream;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.Transports;

/**
 * The one resolve-and-open path of a node that serves logs (docs/design.md 1): the gateway and the web
 * node are each "a stream front plus my socket". It owns watch-fed copies of the registry (builds,
 * gateways, executors; a lookup costs no ZooKeeper round trip), the lookup threads (no I/O thread
 * ever waits on ZooKeeper), the {@link StreamRouter} and the {@link SharedStreams} that let the
 * viewers of one build share one upstream. An upstream that ends or breaks while the registry says its
 * build still runs is resumed from the byte offset already delivered ({@link ResumePolicy}): the end of
 * a log means the end of the log.
 *
 * <p><b>Lifecycle and threads.</b> Build with {@link #builder}, {@link #start()} once, {@link
 * #close()} once. {@link #open} is thread-safe and never blocks: the lookup runs on a lookup thread.
 * Beyond {@link #LOOKUP_QUEUE} waiting lookups a request fails with {@code Internal streaming error}.
 * The registry and the transports belong to the caller.
 */
public final class StreamFront implements Closeable {
  /** Lookup threads by default: registry lookups of new viewers (streams themselves use no thread). */
  public static final int DEFAULT_LOOKUP_THREADS = 8;
  /** Lookups that may wait for a thread; beyond it a request gets {@code Internal streaming error}. */
  public static final int LOOKUP_QUEUE = 10_000;
  /** Zuul's request state of a finished build. */
  static final String COMPLETED = "completed";
  /** Seconds an idle lookup thread lives. */
  public static final int LOOKUP_THREAD_IDLE_SECONDS = 60;

  private final Registry registry;
  private final Transports transports;
  private final String zone;
  private final int lookupThreads;
  private final long sharedWindowBytes;
  private final long viewerBufferBytes;
  private final int catchUpUpstreams;
  private final StreamMetrics metrics;
  private final String threadName;
  private final Predicate<StreamTarget.Endpoint> self;
  private final ResumePolicy resumePolicy;
  private ThreadPoolExecutor lookups;
  private ScheduledThreadPoolExecutor resumeTimers;
  private BuildDirectory builds;
  private ComponentDirectory gateways;
  private ComponentDirectory executors;
  private StreamRouter router;
  private SharedStreams shared;

  private StreamFront(Builder b) {
    this.registry = b.registry;
    this.transports = b.transports;
    this.zone = b.zone;
    this.lookupThreads = b.lookupThreads;
    this.sharedWindowBytes = b.sharedWindowBytes;
    this.viewerBufferBytes = b.viewerBufferBytes;
    this.catchUpUpstreams = b.catchUpUpstreams;
    this.metrics = b.metrics;
    this.threadName = b.threadName;
    this.self = b.self;
    this.resumePolicy = b.resumePolicy;
  }

  /**
   * A builder; defaults: unzoned, {@value #DEFAULT_LOOKUP_THREADS} lookup threads, {@link
   * SharedStreams#DEFAULT_WINDOW_BYTES} of shared window, {@link
   * SharedStreams#DEFAULT_VIEWER_BUFFER_BYTES} per viewer, {@link
   * SharedStreams#DEFAULT_CATCH_UP_UPSTREAMS} catch-ups per build, metrics in memory, threads named {@code
   * lookup}.
   */
  public static Builder builder(Registry registry, Transports transports) {
    return new Builder(registry, transports);
  }

  /** Starts watching the registry and the lookup threads. */
  public synchronized void start() {
    if (lookups != null) {
      throw new IllegalStateException("stream front already started");
    }
    lookups = new ThreadPoolExecutor(lookupThreads, lookupThreads, LOOKUP_THREAD_IDLE_SECONDS, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(LOOKUP_QUEUE), daemonThreads(threadName));
    lookups.allowCoreThreadTimeOut(true);
    builds = BuildDirectory.watching(registry);
    gateways = ComponentDirectory.watching(registry, ZoneRouter.GATEWAY_KIND);
    // Executors' entries decide TLS (use_ssl) and whether an offset may be passed on to them.
    executors = ComponentDirectory.watching(registry, ZoneRouter.EXECUTOR_KIND);
    router = StreamRouter.builder(builds, gateways, transports)
        .zone(zone)
        .metrics(metrics)
        .executors(executors)
        .self(self)
        .build();
    resumeTimers = new ScheduledThreadPoolExecutor(1, daemonThreads(threadName + "-resume"));
    resumeTimers.setRemoveOnCancelPolicy(true);
    shared = SharedStreams.builder(new SharedStreams.Opener() {
          @Override
          public LogStream open(String buildId, String tenant, LogSink sink) {
            return open(buildId, tenant, 0, sink);
          }

          @Override
          public LogStream open(String buildId, String tenant, long offset, LogSink sink) {
            return resuming(buildId, tenant, offset, sink);
          }
        })
        .windowBytes(sharedWindowBytes)
        .viewerBufferBytes(viewerBufferBytes)
        .catchUpUpstreams(catchUpUpstreams)
        .meters(metrics.registry())
        .build();
  }

  /**
   * The upstream of one build from {@code offset}, resumed while the registry says the build runs (see
   * {@link ResumePolicy}).
   */
  private LogStream resuming(String buildId, String tenant, long offset, LogSink sink) {
    return ResumingStream.start(buildId, offset,
        (from, attemptSink) -> router.openAsync(buildId, tenant, from, attemptSink, lookups),
        () -> stillRunning(buildId), lookups, resumeTimers, resumePolicy, sink);
  }

  /**
   * Whether the build still runs: its request node is there and not {@code completed} (Zuul's executor
   * marks a build so before it removes the job directory, so a log that ended normally finds it so).
   */
  private boolean stillRunning(String buildId) throws StreamException {
    try {
      return builds.find(buildId).map(b -> !COMPLETED.equalsIgnoreCase(b.state())).orElse(false);
    } catch (RegistryUnavailableException | RuntimeException e) {
      throw StreamException.internal("Registry cannot say whether build " + buildId + " runs", e);
    }
  }

  /**
   * Opens {@code buildId}'s log for one viewer from byte {@code offset} (0: from the start), sharing an
   * upstream with the build's other viewers; see {@link SharedStreams#open}. Never throws: failures
   * reach {@code sink}.
   *
   * @param tenant the tenant the viewer asked under; null accepts any
   */
  public LogStream open(String buildId, String tenant, long offset, LogSink sink) {
    return shared.open(buildId, tenant, offset, sink);
  }

  /** The routing path (for resolving without streaming, e.g. a REST lookup). */
  public StreamRouter router() {
    return router;
  }

  public SharedStreams sharedStreams() {
    return shared;
  }

  /** The watched copy of the builds. */
  public BuildDirectory builds() {
    return builds;
  }

  /** The registered components (gateways from the watched copy, other kinds read from ZooKeeper). */
  public ComponentDirectory components() {
    return gateways;
  }

  public StreamMetrics metrics() {
    return metrics;
  }

  /** The lookup threads; tasks must not block for long. */
  public Executor lookups() {
    return lookups;
  }

  @Override
  public synchronized void close() {
    if (lookups == null) {
      return;
    }
    lookups.shutdownNow();
    resumeTimers.shutdownNow();
    builds.close();
    gateways.close();
    executors.close();
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Builds a {@link StreamFront}; see {@link StreamFront#builder} for the defaults. Not thread-safe. */
  public static final class Builder {
    private final Registry registry;
    private final Transports transports;
    private String zone;
    private int lookupThreads = DEFAULT_LOOKUP_THREADS;
    private long sharedWindowBytes = SharedStreams.DEFAULT_WINDOW_BYTES;
    private long viewerBufferBytes = SharedStreams.DEFAULT_VIEWER_BUFFER_BYTES;
    private int catchUpUpstreams = SharedStreams.DEFAULT_CATCH_UP_UPSTREAMS;
    private StreamMetrics metrics = StreamMetrics.inMemory();
    private String threadName = "lookup";
    private Predicate<StreamTarget.Endpoint> self = e -> false;
    private ResumePolicy resumePolicy = ResumePolicy.DEFAULT;

    private Builder(Registry registry, Transports transports) {
      this.registry = Objects.requireNonNull(registry, "registry");
      this.transports = Objects.requireNonNull(transports, "transports");
    }

    /** This node's zone, the requester's zone of the routing rule; null or blank when unzoned. */
    public Builder zone(String zone) {
      this.zone = zone;
      return this;
    }

    /** Threads doing registry lookups, at least 1. */
    public Builder lookupThreads(int lookupThreads) {
      if (lookupThreads < 1) {
        throw new IllegalArgumentException("lookup_threads must be at least 1, not " + lookupThreads);
      }
      this.lookupThreads = lookupThreads;
      return this;
    }

    /** See {@link SharedStreams.Builder#windowBytes}. */
    public Builder sharedWindowBytes(long sharedWindowBytes) {
      this.sharedWindowBytes = sharedWindowBytes;
      return this;
    }

    /** See {@link SharedStreams.Builder#viewerBufferBytes}. */
    public Builder viewerBufferBytes(long viewerBufferBytes) {
      this.viewerBufferBytes = viewerBufferBytes;
      return this;
    }

    /** See {@link SharedStreams.Builder#catchUpUpstreams}. */
    public Builder catchUpUpstreams(int catchUpUpstreams) {
      this.catchUpUpstreams = catchUpUpstreams;
      return this;
    }

    /** Where stream counters go (a Prometheus registry in daemons). */
    public Builder metrics(StreamMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /** The name prefix of the lookup threads (the node's name, in thread dumps). */
    public Builder threadName(String threadName) {
      this.threadName = Objects.requireNonNull(threadName, "threadName");
      return this;
    }

    /**
     * Whether an endpoint is this node's own finger address (a gateway's): never routed to, so that a
     * registry entry pointing back at the node cannot make it loop (docs/operations.md "Routing
     * guards"). Called on lookup threads; must not block.
     */
    public Builder self(Predicate<StreamTarget.Endpoint> self) {
      this.self = Objects.requireNonNull(self, "self");
      return this;
    }

    /** How an upstream that ends while its build runs is resumed; default {@link ResumePolicy#DEFAULT}. */
    public Builder resumePolicy(ResumePolicy resumePolicy) {
      this.resumePolicy = Objects.requireNonNull(resumePolicy, "resumePolicy");
      return this;
    }

    public StreamFront build() {
      return new StreamFront(this);
    }
  }
}
