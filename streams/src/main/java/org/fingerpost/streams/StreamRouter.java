package org.fingerpost.streams;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.fingerpost.registry.BuildDirectory;
import org.fingerpost.registry.BuildInfo;
import org.fingerpost.registry.ComponentDirectory;
import org.fingerpost.registry.ComponentInfo;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistryUnavailableException;
import org.fingerpost.registry.ZoneRouter;
import org.fingerpost.streams.internal.PendingStream;
import org.fingerpost.streams.internal.RegistryReads;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.RateLimitedWarning;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resolve-and-open path shared by the gateway and the web tier: looks the build up in the registry,
 * applies {@link ZoneRouter} (listing the {@code fingergw} components only when the build's worker is in
 * another zone), and opens the stream through the daemon's {@link Transports}.
 *
 * <p><b>Errors.</b> {@link #resolve} throws {@link StreamException}s whose wire text is what the client
 * sees: {@code Build not found}, {@code Build did not start yet}, or {@code Internal streaming error}
 * when the registry is down (logged as such) or the route is refused by the guards of {@link
 * ZoneRouter.Policy} (a worker no registered executor serves, this node's own address; a WARN at most
 * once a minute). {@link #open} never throws: every failure goes to the sink's {@link LogSink#onError}.
 *
 * <p><b>Threads.</b> Thread-safe. {@link #resolve} and {@link #open} block on ZooKeeper reads, bounded
 * by the directories' read timeouts (a few seconds at worst, immediate failure when disconnected);
 * callers on non-blocking threads use {@link #openAsync}. Does not own its collaborators.
 */
public final class StreamRouter {
  private static final Logger LOG = LoggerFactory.getLogger(StreamRouter.class);

  private final BuildDirectory builds;
  private final ComponentDirectory components;
  private final Transports transports;
  private final String zone;
  /** Null: use the calling thread's {@link ThreadLocalRandom}. */
  private final RandomGenerator random;
  private final StreamMetrics metrics;
  /** Executor entries (TLS, capabilities of direct hops); null: direct hops are plain, without capabilities. */
  private final ComponentDirectory executors;
  /** With executor entries, a worker is dialled only where one serves it; never this node's own address. */
  private final ZoneRouter.Policy policy;
  /** Refused routes (docs/operations.md "Routing guards"): at most one WARN a minute. */
  private final RateLimitedWarning refusals = new RateLimitedWarning(LOG::warn, LOG::debug, RateLimitedWarning.DEFAULT_INTERVAL);
  /** {@link #resolve} and {@link #openTarget} for the lookups of {@link #openAsync}. */
  private final PendingStream.Route route = new PendingStream.Route() {
    @Override
    public StreamTarget resolve(String buildId, String tenant) throws StreamException {
      return StreamRouter.this.resolve(buildId, tenant);
    }

    @Override
    public void failed(StreamException e) {
      metrics.failed(e);
    }

    @Override
    public LogStream open(StreamTarget target, LogSink sink) {
      return openTarget(target, sink);
    }
  };

  private StreamRouter(Builder b) {
    this.builds = b.builds;
    this.components = b.components;
    this.transports = b.transports;
    this.zone = ZoneRouter.zone(b.zone);
    this.random = b.random;
    this.metrics = b.metrics != null ? b.metrics : StreamMetrics.inMemory();
    this.executors = b.executors;
    this.policy = new ZoneRouter.Policy(b.executors != null, b.self);
  }

  /**
   * A builder with the collaborators. Defaults: unzoned, no executor entries (plain hops), gateways chosen
   * with {@link ThreadLocalRandom}, metrics kept in memory only.
   */
  public static Builder builder(BuildDirectory builds, ComponentDirectory components, Transports transports) {
    return new Builder(builds, components, transports);
  }

  /** The counters of this router's streams. */
  public StreamMetrics metrics() {
    return metrics;
  }

  /** This node's zone, null when unzoned. */
  public String zone() {
    return zone;
  }

  /** Where to open {@code buildId}'s log; see the class comment for the errors. */
  public StreamTarget resolve(String buildId) throws StreamException {
    return resolve(buildId, null);
  }

  /**
   * As {@link #resolve(String)}, and a build whose node names another tenant counts as not found
   * (docs/design.md 3.2).
   *
   * @param tenant the tenant the client asked under; null accepts any
   */
  public StreamTarget resolve(String buildId, String tenant) throws StreamException {
    if (!BuildDirectory.isBuildId(buildId)) {
      // Callers validate first; never let anything else near a ZooKeeper path.
      throw new StreamException(StreamException.Kind.BUILD_NOT_FOUND, "Invalid build id refused");
    }
    Optional<BuildInfo> build;
    try {
      build = builds.find(buildId);
    } catch (RegistryUnavailableException e) {
      LOG.warn("Registry is down: cannot look up build {}: {}", buildId, e.getMessage());
      throw StreamException.internal("Registry unavailable while looking up build " + buildId, e);
    } catch (RuntimeException e) {
      LOG.error("Looking up build {} failed", buildId, e);
      throw StreamException.internal("Registry lookup of build " + buildId + " failed", e);
    }
    if (tenant != null && build.isPresent() && !tenant.equals(build.get().tenantName())) {
      LOG.debug("Build {} belongs to tenant {}, not {}: reported as not found", buildId,
          build.get().tenantName(), tenant);
      build = Optional.empty();
    }
    List<ComponentInfo> gateways = List.of();
    List<ComponentInfo> executorList = List.of();
    if (build.isPresent() && build.get().isStarted()) {
      if (ZoneRouter.needsGateway(zone, build.get().workerInfo())) {
        gateways = RegistryReads.list(components, ZoneRouter.GATEWAY_KIND, buildId);
      }
      executorList = executors == null ? List.of() : RegistryReads.executors(executors, build.get());
    }
    StreamTarget target;
    try {
      target = ZoneRouter.route(zone, buildId, build, gateways, executorList,
          random != null ? random : ThreadLocalRandom.current(), policy);
    } catch (StreamException e) {
      if (e.kind() == StreamException.Kind.INTERNAL) {
        refusals.warn(e.getMessage());
      }
      throw e;
    }
    LOG.debug("Build {} requested from {}: route {} to {}", buildId, zone == null ? "unzoned" : zone,
        target.route(), target);
    return target;
  }

  /**
   * Resolves {@code buildId} and opens its log into {@code sink} (blocking on the registry, see the
   * class comment). Never throws: failures reach {@link LogSink#onError}.
   *
   * @return the stream, owned by the caller; {@link LogStream#CLOSED} when it failed before any
   *     connection
   */
  public LogStream open(String buildId, LogSink sink) {
    return open(buildId, null, sink);
  }

  /** As {@link #open(String, LogSink)} with the tenant check of {@link #resolve(String, String)}. */
  public LogStream open(String buildId, String tenant, LogSink sink) {
    Objects.requireNonNull(sink, "sink");
    StreamTarget target;
    try {
      target = resolve(buildId, tenant);
    } catch (StreamException e) {
      LOG.debug("Build {} not streamed: {} ({})", buildId, e.wireMessage(), e.getMessage());
      metrics.failed(e);
      sink.onError(e);
      return LogStream.CLOSED;
    }
    return openTarget(target, sink);
  }

  /** Opens a resolved target, counted; a transport that throws is reported like any stream error. */
  private LogStream openTarget(StreamTarget target, LogSink sink) {
    try {
      return metrics.track(target, sink, counted -> transports.open(target, counted));
    } catch (RuntimeException e) {
      LOG.error("Transport failed to open {}", target, e);
      StreamException error = StreamException.internal("Transport failed to open " + target, e);
      metrics.failed(error);
      sink.onError(error);
      return LogStream.CLOSED;
    }
  }

  /**
   * As {@link #open(String, String, LogSink)}, with the registry lookup run on {@code executor} so the
   * calling thread never blocks. Closing the returned stream before the lookup finished cancels it:
   * the sink then gets no call (other than one already under way) and any stream opened meanwhile is
   * closed at once.
   *
   * @param tenant null accepts any tenant
   */
  public LogStream openAsync(String buildId, String tenant, LogSink sink, Executor executor) {
    return openAsync(buildId, tenant, 0, sink, executor);
  }

  /**
   * As {@link #openAsync(String, String, LogSink, Executor)}, from byte {@code offset} of the log: the
   * offset is passed on when the resolved peer advertises {@link StreamTarget#OFFSET_CAPABILITY};
   * otherwise the log is opened from 0 and the first {@code offset} bytes are dropped here.
   *
   * @param offset first byte wanted, at least 0
   */
  public LogStream openAsync(String buildId, String tenant, long offset, LogSink sink, Executor executor) {
    return openAsync(buildId, tenant, offset, 1, sink, executor);
  }

  /**
   * As {@link #openAsync(String, String, long, LogSink, Executor)} for a request relayed by other nodes:
   * {@code hops} counts the relaying nodes it passed, this one included ({@link StreamTarget#hops()}).
   */
  public LogStream openAsync(String buildId, String tenant, long offset, int hops, LogSink sink, Executor executor) {
    Objects.requireNonNull(sink, "sink");
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }
    PendingStream pending = new PendingStream();
    try {
      executor.execute(() -> pending.run(route, buildId, tenant, offset, hops, sink));
    } catch (RejectedExecutionException e) {
      LOG.warn("Cannot look up build {}: executor rejected the task", buildId);
      sink.onError(StreamException.internal("Lookup executor rejected build " + buildId, e));
      return LogStream.CLOSED;
    }
    return pending;
  }

  /** Builds a {@link StreamRouter}; see {@link StreamRouter#builder} for the defaults. */
  public static final class Builder {
    private final BuildDirectory builds;
    private final ComponentDirectory components;
    private final Transports transports;
    private String zone;
    private RandomGenerator random;
    private StreamMetrics metrics;
    private ComponentDirectory executors;
    private Predicate<StreamTarget.Endpoint> self = e -> false;

    private Builder(BuildDirectory builds, ComponentDirectory components, Transports transports) {
      this.builds = Objects.requireNonNull(builds, "builds");
      this.components = Objects.requireNonNull(components, "components");
      this.transports = Objects.requireNonNull(transports, "transports");
    }

    /** This node's zone; null or blank when unzoned. */
    public Builder zone(String zone) {
      this.zone = zone;
      return this;
    }

    /** Chooses among a zone's gateways (a seeded one in tests); must be thread-safe if shared. */
    public Builder random(RandomGenerator random) {
      this.random = random;
      return this;
    }

    /**
     * Executor components (kind {@code executor}): a direct hop is TLS when its executor's entry has
     * {@code use_ssl} and carries its capabilities (the {@code offset} extension); without them every
     * direct hop is plain and no extension is ever sent to an executor. With them, a worker no executor
     * entry serves is refused ({@link ZoneRouter.Policy}).
     */
    public Builder executors(ComponentDirectory executors) {
      this.executors = executors;
      return this;
    }

    public Builder metrics(StreamMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    /** Whether an endpoint is this node's own finger address: never routed to (default: none is). */
    public Builder self(Predicate<StreamTarget.Endpoint> self) {
      this.self = Objects.requireNonNull(self, "self");
      return this;
    }

    public StreamRouter build() {
      return new StreamRouter(this);
    }
  }
}
