package org.fingerpost.gateway;

import java.io.Closeable;
import java.util.Objects;
import org.fingerpost.registry.ComponentInfo;
import org.fingerpost.registry.ComponentRegistration;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.registry.Registry;
import org.fingerpost.streams.LookupRateLimit;
import org.fingerpost.streams.SharedStreams;
import org.fingerpost.streams.StreamFront;
import org.fingerpost.streams.StreamMetrics;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.RateLimitedWarning;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.Transports;
import org.fingerpost.transport.finger.FingerExchange;
import org.fingerpost.transport.finger.FingerRequest;
import org.fingerpost.transport.finger.FingerServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The finger gateway daemon: a finger server whose requests are resolved with the routing rule and
 * relayed, bytes unchanged, from the upstream the registry names (docs/design.md 3.1 and 3.4).
 *
 * <p>It registers as a {@code fingergw} component ({@code hostname}, {@code public_port}, {@code
 * zone}, {@code use_ssl}) so web nodes and gateways of other zones can reach it. It connects only to
 * endpoints read from the registry: the request names a build, never an address.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #close()}, which marks the component stopped,
 * removes it and closes every open stream. The registry and transports are owned by the caller.
 */
public final class Gateway implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  /**
   * Relaying nodes a request may have passed before this gateway refuses it with {@link #TOO_MANY_HOPS}
   * (docs/operations.md "Hop limit"): far more than any real route (web or gateway, then a zone's
   * gateway: 2), few enough that a loop ends at once.
   */
  public static final int MAX_HOPS = 8;
  /** What a client of a request past {@link #MAX_HOPS} reads (relayed back along the loop unchanged). */
  public static final String TOO_MANY_HOPS = "Too many hops";

  /** The component kind Zuul's fingergw registers with. */
  public static final String COMPONENT_KIND = "fingergw";

  private final GatewaySettings config;
  private final Registry registry;
  private final StreamFront front;
  /** This gateway's own address: never a route (a registry entry pointing back here would loop). */
  private final SelfAddress self;
  private final RateLimitedWarning tooManyLookups = new RateLimitedWarning(LOG::warn, LOG::debug,
      RateLimitedWarning.DEFAULT_INTERVAL);
  private final RateLimitedWarning tooManyHops = new RateLimitedWarning(LOG::warn, LOG::debug,
      RateLimitedWarning.DEFAULT_INTERVAL);
  private FingerServer server;
  private volatile ComponentRegistration registration;
  private volatile boolean closed;

  public Gateway(GatewaySettings config, Registry registry, Transports transports) {
    this(config, registry, transports, StreamMetrics.inMemory());
  }

  /** As the other constructor, counting streams into {@code metrics} (a Prometheus registry in daemons). */
  public Gateway(GatewaySettings config, Registry registry, Transports transports, StreamMetrics metrics) {
    this.config = Objects.requireNonNull(config, "config");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.self = new SelfAddress(config.hostname(), config.listenAddress(), config.publicPort());
    this.front = StreamFront.builder(registry, transports)
        .zone(config.zone())
        .lookupThreads(config.lookupThreads())
        .sharedWindowBytes(config.sharedWindowBytes())
        .viewerBufferBytes(config.viewerBufferBytes())
        .catchUpUpstreams(config.catchUpUpstreams())
        .metrics(metrics)
        .threadName("gateway-lookup")
        .self(self)
        .build();
  }

  /** The counters of the streams this gateway relayed. */
  public StreamMetrics metrics() {
    return front.metrics();
  }

  /** Starts listening, then registers as running. */
  public void start() throws Exception {
    front.start();
    server = FingerServer.builder()
        .name("gateway")
        .host(config.listenAddress())
        .port(config.port())
        .requestTimeout(config.requestTimeout())
        .stalledClientTimeout(config.slowClientTimeout())
        .requestErrorMessage(StreamException.Kind.INTERNAL.wireMessage())
        .handler(this::relay)
        .sslContextFactory(config.sslContextFactory())
        .connectionLimits(config.connectionLimits())
        .build();
    server.start();
    self.bound(server.port());
    registration = new ComponentRegistration(registry, componentInfo(ComponentState.INITIALIZING));
    registration.start();
    registration.setState(ComponentState.RUNNING);
    LOG.info("Finger gateway listening on {}:{} (public {}:{}, zone {})", config.listenAddress(), server.port(),
        config.hostname(), publicPort(), config.zone() == null ? "unzoned" : config.zone());
  }

  private void relay(FingerRequest request, FingerExchange client) {
    LOG.debug("Request for build {} from {}", request.buildId(), client.remoteAddress());
    String address = LookupRateLimit.host(client.remoteAddress());
    if (!config.lookupRateLimit().tryAcquire(address)) {
      tooManyLookups.warn("Refusing lookups of " + address + ": more than " + config.lookupRateLimit().burst()
          + " at once or " + config.lookupRateLimit().perSecond() + " a second (fingergw.lookup_rate)");
      client.fail(LookupRateLimit.REFUSAL);
      return;
    }
    // The lookup may wait on ZooKeeper (bounded by the directories' read timeouts): not on this thread.
    LogStream upstream;
    if (request.hops() >= MAX_HOPS) {
      tooManyHops.warn("Refusing build " + request.buildId() + " from " + client.remoteAddress() + ": it passed "
          + request.hops() + " relaying nodes (a routing loop?)");
      client.fail(TOO_MANY_HOPS);
      return;
    } else if (request.hops() > 0) {
      // Relayed by another node: not shared, so that the requests of a loop never wait on each other's
      // shared upstream; each counts one more hop.
      upstream = front.router().openAsync(request.buildId(), null, request.offset(), request.hops() + 1, client,
          front.lookups());
    } else {
      upstream = front.open(request.buildId(), null, request.offset(), client);
    }
    // The client going away, for any reason, frees the upstream at once.
    client.onClose(upstream::close);
  }

  private ComponentInfo componentInfo(ComponentState state) {
    return ComponentInfo.builder(COMPONENT_KIND, config.hostname())
        .state(state)
        .zone(config.zone())
        .publicPort(publicPort())
        .useSsl(config.sslContextFactory() != null)
        .capabilities(java.util.List.of(FingerRequest.OFFSET_CAPABILITY, FingerRequest.HOPS_CAPABILITY))
        .build();
  }

  /** The shared upstreams of this gateway's clients (issue 6); null before {@link #start()}. */
  public SharedStreams sharedStreams() {
    return front.sharedStreams();
  }

  /** The watched copy of the build requests this gateway resolves from (tests, benchmarks). */
  public org.fingerpost.registry.BuildDirectory builds() {
    return front.builds();
  }

  /** The watched copy of the {@code fingergw} components this gateway routes to (tests, benchmarks). */
  public org.fingerpost.registry.ComponentDirectory gateways() {
    return front.components();
  }

  /** The bound port. */
  public int port() {
    return server.port();
  }

  /** The port registered for others to use. */
  public int publicPort() {
    return config.publicPort() != null ? config.publicPort() : server.port();
  }

  /**
   * The state of this gateway's registration: {@code INITIALIZING} before {@link #start()}, then as
   * registered, {@code STOPPED} once {@link #close()} is called. Thread-safe, never blocks.
   */
  public ComponentState state() {
    return ComponentRegistration.stateOf(registration, closed);
  }

  @Override
  public void close() {
    closed = true;
    if (registration != null) {
      registration.close();
    }
    if (server != null) {
      server.close();
    }
    front.close();
    LOG.info("Finger gateway stopped");
  }
}
