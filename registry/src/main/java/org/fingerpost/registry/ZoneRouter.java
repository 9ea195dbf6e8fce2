package org.fingerpost.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.fingerpost.registry.internal.Names;
import org.fingerpost.transport.RateLimitedWarning;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.StreamTarget.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing rule of docs/design.md 3.4, as a pure function of what the registry said: given the
 * requester's zone, the build's node and the registered gateways, where to open the build's log.
 *
 * <ol>
 *   <li>No build node: {@link StreamException.Kind#BUILD_NOT_FOUND}. No {@code worker_info}: {@link
 *       StreamException.Kind#BUILD_NOT_STARTED}.
 *   <li>Worker zone set and different from the requester's (an unset requester zone is different from
 *       any set one): a <em>running</em> {@code fingergw} of the worker's zone that advertises a
 *       {@code public_port}, chosen at random among several, reached at {@code hostname:public_port},
 *       TLS if its {@code use_ssl}: route {@link Route#GATEWAY}, attributes and capabilities from the
 *       gateway's entry, plus what a relay needs to fail over: {@link StreamTarget#alternates()} (the
 *       zone's other running gateways in random order), {@link StreamTarget#fallback()} (the
 *       executor's direct endpoint) and {@link StreamTarget#requesterZone()}. If there is none: a
 *       warning naming both zones, and route {@link Route#DIRECT_FALLBACK} to the worker.
 *   <li>Otherwise: route {@link Route#DIRECT} to {@code worker_info.hostname:log_port}, attributes
 *       from {@code worker_info}. Plain finger, as Zuul always dials its executors, unless <em>that
 *       executor's own entry</em> says otherwise ({@link #executorEntry}): then TLS if the entry has
 *       {@code use_ssl}, and the entry's capabilities. Never TLS because the dialling node has TLS
 *       configured: Zuul's executors serve plain finger and register nothing about TLS.
 * </ol>
 *
 * Every endpoint comes from the registry; nothing the client sent besides the (hex) build id reaches
 * the target. Blank zones count as unset. Stateless and thread-safe; it performs no I/O (it only logs).
 *
 * <p><b>Guards</b> ({@link Policy}, docs/operations.md "Routing guards"): a daemon refuses to dial a
 * {@code worker_info} endpoint that no registered executor component serves ({@link #executorEntry}),
 * since a build node could otherwise make it connect anywhere (an SSH port, an intranet service); and
 * it never routes to its own finger address (a {@code fingergw} entry pointing back at itself would
 * loop). Refusals are {@link StreamException.Kind#INTERNAL}, the client's {@code Internal streaming
 * error}.
 */
public final class ZoneRouter {
  private static final Logger LOG = LoggerFactory.getLogger(ZoneRouter.class);
  /** Unusable gateway entries: a client asking again and again must not flood the log. */
  private static final RateLimitedWarning UNUSABLE_GATEWAYS = new RateLimitedWarning(LOG::warn, LOG::debug,
      RateLimitedWarning.DEFAULT_INTERVAL);

  /** The component kind of finger gateways. */
  public static final String GATEWAY_KIND = "fingergw";
  /** The component kind of Zuul's executors (and of Fingerpost's streamer). */
  public static final String EXECUTOR_KIND = "executor";
  /** The key of a Fingerpost streamer's executor entry that names its finger port. */
  public static final String LOG_PORT_KEY = "log_port";

  private ZoneRouter() {}

  /**
   * What a daemon refuses to dial (see the class comment).
   *
   * @param registeredExecutorsOnly dial a worker only where {@link #executorEntry} finds its executor
   * @param self whether an endpoint is this node's own finger address (host and port; TLS ignored)
   */
  public record Policy(boolean registeredExecutorsOnly, Predicate<StreamTarget.Endpoint> self) {
    /** The rule as written in docs/design.md 3.4 without guards: every registered endpoint is dialled. */
    public static final Policy NONE = new Policy(false, e -> false);

    public Policy {
      Objects.requireNonNull(self, "self");
    }
  }

  /** A zone as the rule compares it: null for unset or blank (unzoned). */
  public static String zone(String zone) {
    return Names.zone(zone);
  }

  /**
   * Whether a build served by {@code worker} needs a gateway when requested from {@code
   * requesterZone}, that is whether {@link #route} looks at the gateways at all.
   */
  public static boolean needsGateway(String requesterZone, WorkerInfo worker) {
    String workerZone = Names.zone(worker.zone());
    return workerZone != null && !workerZone.equals(Names.zone(requesterZone));
  }

  /**
   * Applies the rule (see the class comment).
   *
   * @param requesterZone the zone of the gateway or web node asking; null when unzoned
   * @param buildId the build, hex digits (validated by the caller)
   * @param build the build's node, empty when there is none
   * @param gateways the registered {@code fingergw} components, any state and zone (entries of other
   *     kinds, other states, other zones or without {@code public_port} are never chosen)
   * @param executors the registered {@code executor} components (Zuul's and Fingerpost streamers'); the
   *     one of the build's worker decides TLS and capabilities of a direct hop; may be empty
   * @param random picks among several usable gateways
   * @throws StreamException {@code BUILD_NOT_FOUND} or {@code BUILD_NOT_STARTED} as above
   */
  public static StreamTarget route(String requesterZone, String buildId, Optional<BuildInfo> build,
      List<ComponentInfo> gateways, List<ComponentInfo> executors, RandomGenerator random)
      throws StreamException {
    return route(requesterZone, buildId, build, gateways, executors, random, Policy.NONE);
  }

  /**
   * As {@link #route(String, String, Optional, List, List, RandomGenerator)} with the guards of {@code
   * policy}: gateways at this node's own address are never chosen (nor offered as alternates); a worker
   * that fails the policy is never a fallback; and a direct hop that fails it is refused.
   *
   * @throws StreamException also {@code INTERNAL} when the only route left is refused by {@code policy}
   */
  public static StreamTarget route(String requesterZone, String buildId, Optional<BuildInfo> build,
      List<ComponentInfo> gateways, List<ComponentInfo> executors, RandomGenerator random, Policy policy)
      throws StreamException {
    Objects.requireNonNull(buildId, "buildId");
    if (build.isEmpty()) {
      throw new StreamException(StreamException.Kind.BUILD_NOT_FOUND,
          "Build " + buildId + " has no request node in the registry");
    }
    WorkerInfo worker = build.get().workerInfo();
    if (worker == null) {
      throw new StreamException(StreamException.Kind.BUILD_NOT_STARTED,
          "Build " + buildId + " has no worker_info yet");
    }
    String workerZone = Names.zone(worker.zone());
    ComponentInfo executor = executorEntry(executors, worker);
    boolean executorTls = executor != null && executor.useSsl();
    String refusal = refusal(policy, worker, executor, executorTls);
    if (!needsGateway(requesterZone, worker)) {
      return direct(buildId, worker, workerZone, executor, Route.DIRECT, refusal);
    }
    List<ComponentInfo> usable = new ArrayList<>();
    for (ComponentInfo g : gateways) {
      if (isUsableGateway(g, workerZone, buildId) && !isSelf(policy, g, buildId)) {
        usable.add(g);
      }
    }
    if (usable.isEmpty()) {
      LOG.warn("No running {} registered in zone {} for build {} (requested from {}): connecting directly "
          + "to the executor {}", GATEWAY_KIND, workerZone, buildId, describe(requesterZone), worker);
      return direct(buildId, worker, workerZone, executor, Route.DIRECT_FALLBACK, refusal);
    }
    ComponentInfo chosen = usable.remove(usable.size() == 1 ? 0 : random.nextInt(usable.size()));
    // The others, shuffled, are the relay transport's failover order (StreamTarget.alternates()).
    for (int i = usable.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      usable.set(i, usable.set(j, usable.get(i)));
    }
    List<StreamTarget.Endpoint> alternates = new ArrayList<>(usable.size());
    for (ComponentInfo g : usable) {
      alternates.add(new StreamTarget.Endpoint(g.hostname(), g.publicPort(), g.useSsl(), g.capabilities()));
    }
    return StreamTarget.builder(buildId, chosen.hostname(), chosen.publicPort())
        .tls(chosen.useSsl())
        .route(Route.GATEWAY)
        .zone(workerZone)
        .capabilities(chosen.capabilities())
        .attributes(chosen.attributes())
        .alternates(alternates)
        .fallback(isUsableHost(worker.hostname()) && refusal == null
            ? new StreamTarget.Endpoint(worker.hostname(), worker.logPort(), executorTls,
                executor != null ? executor.capabilities() : Set.of()) : null)
        .requesterZone(Names.zone(requesterZone))
        .build();
  }

  /** Why {@code policy} refuses to dial {@code worker} directly; null when it may be dialled. */
  private static String refusal(Policy policy, WorkerInfo worker, ComponentInfo executor, boolean tls) {
    if (policy.registeredExecutorsOnly() && executor == null) {
      return "no registered " + EXECUTOR_KIND + " component serves " + worker.hostname() + ":" + worker.logPort();
    }
    if (isUsableHost(worker.hostname())
        && policy.self().test(new StreamTarget.Endpoint(worker.hostname(), worker.logPort(), tls))) {
      return worker.hostname() + ":" + worker.logPort() + " is this node's own finger address";
    }
    return null;
  }

  private static boolean isSelf(Policy policy, ComponentInfo g, String buildId) {
    if (!policy.self().test(new StreamTarget.Endpoint(g.hostname(), g.publicPort(), g.useSsl()))) {
      return false;
    }
    LOG.debug("Gateway {}:{} in zone {} is this node's own address; not routing build {} to it (a loop)",
        g.hostname(), g.publicPort(), g.zone(), buildId);
    return true;
  }

  private static boolean isUsableGateway(ComponentInfo g, String workerZone, String buildId) {
    if (g == null || !GATEWAY_KIND.equals(g.kind()) || !g.isRunning() || !workerZone.equals(g.zone())) {
      return false;
    }
    if (!isUsableHost(g.hostname())) {
      UNUSABLE_GATEWAYS.warn("Gateway in zone " + workerZone + " has an unusable hostname '" + g.hostname()
          + "'; not routing build " + buildId + " to it");
      return false;
    }
    Integer port = g.publicPort();
    if (port == null || port <= 0 || port > 65535) {
      LOG.debug("Gateway {} in zone {} has no usable public_port ({}); not routing build {} to it",
          g.hostname(), workerZone, port, buildId);
      return false;
    }
    return true;
  }

  /** Whether a registry hostname can be a host at all: not blank, no whitespace, no comma. */
  private static boolean isUsableHost(String host) {
    return host != null && !host.isBlank() && host.chars().noneMatch(c -> c == ',' || Character.isWhitespace(c));
  }

  /**
   * The executor component serving {@code worker}: same hostname and the same {@value #LOG_PORT_KEY}
   * (a Fingerpost streamer registers it), else same hostname and no {@value #LOG_PORT_KEY} (Zuul's
   * executors register none); null when none matches.
   */
  public static ComponentInfo executorEntry(List<ComponentInfo> executors, WorkerInfo worker) {
    ComponentInfo hostOnly = null;
    for (ComponentInfo c : executors) {
      if (c == null || !EXECUTOR_KIND.equals(c.kind()) || !c.hostname().equals(worker.hostname())) {
        continue;
      }
      Object logPort = c.extra().get(LOG_PORT_KEY);
      if (logPort == null) {
        hostOnly = hostOnly == null ? c : hostOnly;
      } else if (String.valueOf(worker.logPort()).equals(String.valueOf(logPort))) {
        return c;
      }
    }
    return hostOnly;
  }

  private static StreamTarget direct(String buildId, WorkerInfo worker, String workerZone,
      ComponentInfo executor, Route route, String refusal) throws StreamException {
    if (refusal != null) {
      throw new StreamException(StreamException.Kind.INTERNAL, "Refusing to dial the worker of build " + buildId
          + ": " + refusal);
    }
    return StreamTarget.builder(buildId, worker.hostname(), worker.logPort())
        .tls(executor != null && executor.useSsl())
        .route(route)
        .zone(workerZone)
        .capabilities(executor != null ? executor.capabilities() : Set.of())
        .attributes(worker.attributes())
        .build();
  }

  private static String describe(String zone) {
    String z = Names.zone(zone);
    return z == null ? "unzoned" : "zone " + z;
  }
}
