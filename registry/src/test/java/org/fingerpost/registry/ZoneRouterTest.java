package org.fingerpost.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.StreamTarget.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The routing rule alone: no ZooKeeper, every case of docs/design.md 3.4. */
class ZoneRouterTest {
  private static final String ID = "abc123";
  private static final WorkerInfo EAST_WORKER = new WorkerInfo("ex-east", 7900, "east",
      Map.of("transport", "finger"));
  private static final WorkerInfo UNZONED_WORKER = new WorkerInfo("ex-any", 7901, null);

  private final RandomGenerator random = new Random(42);
  private ListAppender<ILoggingEvent> logs;
  private Logger routerLog;

  @BeforeEach
  void captureLogs() {
    routerLog = (Logger) LoggerFactory.getLogger(ZoneRouter.class);
    logs = new ListAppender<>();
    logs.start();
    routerLog.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    routerLog.detachAppender(logs);
  }

  private static Optional<BuildInfo> build(WorkerInfo worker) {
    return Optional.of(new BuildInfo(ID, "running", "t", worker, worker == null ? null : worker.zone()));
  }

  private static ComponentInfo gw(String host, String zone, ComponentState state, Integer port, Boolean ssl) {
    return ComponentInfo.builder("fingergw", host).zone(zone).state(state).publicPort(port).useSsl(ssl).build();
  }

  /** {@code tls}: the worker's executor entry (a Fingerpost streamer's) says {@code use_ssl}. */
  private StreamTarget route(String requesterZone, WorkerInfo worker, List<ComponentInfo> gateways, boolean tls)
      throws StreamException {
    List<ComponentInfo> executors = tls && worker != null ? List.of(executor(worker, true, null)) : List.of();
    return ZoneRouter.route(requesterZone, ID, build(worker), gateways, executors, random);
  }

  private static ComponentInfo executor(WorkerInfo worker, boolean ssl, Integer logPort) {
    return ComponentInfo.builder("executor", worker.hostname()).state(ComponentState.RUNNING).useSsl(ssl)
        .extra("log_port", logPort).capabilities(ssl ? List.of("offset") : List.of()).build();
  }

  private List<ILoggingEvent> warnings() {
    List<ILoggingEvent> out = new ArrayList<>();
    for (ILoggingEvent e : logs.list) {
      if (e.getLevel() == Level.WARN) {
        out.add(e);
      }
    }
    return out;
  }

  @Test
  void noBuildNodeIsBuildNotFound() {
    StreamException e = assertThrows(StreamException.class,
        () -> ZoneRouter.route("east", ID, Optional.empty(), List.of(), List.of(), random));
    assertEquals(StreamException.Kind.BUILD_NOT_FOUND, e.kind());
    assertEquals("Build not found", e.wireMessage());
  }

  @Test
  void noWorkerInfoIsBuildNotStarted() {
    StreamException e = assertThrows(StreamException.class, () -> route("east", null, List.of(), false));
    assertEquals(StreamException.Kind.BUILD_NOT_STARTED, e.kind());
    assertEquals("Build did not start yet", e.wireMessage());
  }

  @Test
  void unzonedWorkerIsDirectFromAnyZone() throws Exception {
    List<ComponentInfo> gateways = List.of(gw("g", "east", ComponentState.RUNNING, 79, false));
    for (String requester : new String[] {null, "", "east", "west"}) {
      StreamTarget t = route(requester, UNZONED_WORKER, gateways, false);
      assertEquals(Route.DIRECT, t.route(), "requester " + requester);
      assertEquals("ex-any", t.host());
      assertEquals(7901, t.port());
      assertEquals(ID, t.buildId());
      assertEquals(null, t.zone());
      assertFalse(t.tls());
      assertEquals(Set.of(), t.capabilities());
      assertEquals(Map.of("hostname", "ex-any", "log_port", "7901"), t.attributes());
    }
    assertTrue(warnings().isEmpty());
  }

  @Test
  void sameZoneIsDirectWithTlsWhenTheExecutorEntrySaysSo() throws Exception {
    StreamTarget t = route("east", EAST_WORKER,
        List.of(gw("g", "east", ComponentState.RUNNING, 79, true)), true);
    assertEquals(Route.DIRECT, t.route());
    assertEquals("ex-east", t.host());
    assertEquals(7900, t.port());
    assertTrue(t.tls(), "tls from the executor's use_ssl");
    assertEquals(Set.of("offset"), t.capabilities(), "capabilities from the executor's entry");
    assertEquals("ex-east", t.serverName());
    assertEquals("east", t.zone());
    assertEquals(Map.of("hostname", "ex-east", "log_port", "7900", "zone", "east", "transport", "finger"),
        t.attributes());
    assertFalse(route("east", EAST_WORKER, List.of(), false).tls());
  }

  @Test
  void otherZoneGoesThroughItsRunningGateway() throws Exception {
    ComponentInfo gateway = ComponentInfo.builder("fingergw", "gw-east").zone("east")
        .state(ComponentState.RUNNING).publicPort(7979).useSsl(true).version("1")
        .capabilities(List.of("resume")).build();
    for (String requester : new String[] {"west", null}) {
      StreamTarget t = route(requester, EAST_WORKER, List.of(gateway), false);
      assertEquals(Route.GATEWAY, t.route(), "requester " + requester);
      assertEquals("gw-east", t.host());
      assertEquals(7979, t.port());
      assertTrue(t.tls(), "tls from use_ssl");
      assertEquals("east", t.zone(), "zone is the worker's");
      assertEquals(Set.of("resume"), t.capabilities());
      assertEquals(gateway.attributes(), t.attributes());
      assertEquals(List.of(), t.alternates(), "no other gateway in the zone");
      assertEquals(Optional.of(new StreamTarget.Endpoint("ex-east", 7900, false)), t.fallback());
      assertEquals(requester, t.requesterZone());
      assertEquals("7979", t.attributes().get("public_port"));
    }
    // An executor's use_ssl does not apply to gateways; use_ssl absent means plain.
    StreamTarget plain = route("west", EAST_WORKER,
        List.of(gw("gw-plain", "east", ComponentState.RUNNING, 79, null)), true);
    assertEquals(Route.GATEWAY, plain.route());
    assertFalse(plain.tls());
    assertEquals(Set.of(), plain.capabilities());
    assertTrue(warnings().isEmpty());
  }

  @Test
  void onlyRunningGatewaysOfTheWorkerZoneWithAPortAreChosen() throws Exception {
    List<ComponentInfo> gateways = List.of(
        gw("paused", "east", ComponentState.PAUSED, 79, false),
        gw("stopped", "east", ComponentState.STOPPED, 79, false),
        gw("initializing", "east", ComponentState.INITIALIZING, 79, false),
        gw("no-state", "east", null, 79, false),
        gw("other-zone", "west", ComponentState.RUNNING, 79, false),
        gw("unzoned", null, ComponentState.RUNNING, 79, false),
        gw("no-port", "east", ComponentState.RUNNING, null, false),
        gw("bad-port", "east", ComponentState.RUNNING, 0, false),
        ComponentInfo.builder("executor", "not-a-gateway").zone("east").state(ComponentState.RUNNING)
            .publicPort(79).build(),
        gw("the-one", "east", ComponentState.RUNNING, 7979, false));
    for (int i = 0; i < 50; i++) {
      StreamTarget t = route("west", EAST_WORKER, gateways, false);
      assertEquals(Route.GATEWAY, t.route());
      assertEquals("the-one", t.host());
    }
  }

  @Test
  void randomChoiceReachesEveryRunningGateway() throws Exception {
    List<ComponentInfo> gateways = List.of(
        gw("g1", "east", ComponentState.RUNNING, 79, false),
        gw("paused", "east", ComponentState.PAUSED, 79, false),
        gw("g2", "east", ComponentState.RUNNING, 79, false),
        gw("g3", "east", ComponentState.RUNNING, 79, false));
    Map<String, Integer> hits = new HashMap<>();
    int rounds = 300;
    for (int i = 0; i < rounds; i++) {
      hits.merge(route("west", EAST_WORKER, gateways, false).host(), 1, Integer::sum);
    }
    assertEquals(Set.of("g1", "g2", "g3"), hits.keySet());
    for (Map.Entry<String, Integer> e : hits.entrySet()) {
      // Uniform would be 100 each; a seeded generator makes this exact run reproducible.
      assertTrue(e.getValue() > rounds / 3 / 2, e + " " + hits);
    }
  }

  @Test
  void noGatewayFallsBackToDirectWithWarningNamingBothZones() throws Exception {
    List<ComponentInfo> useless = List.of(
        gw("paused", "east", ComponentState.PAUSED, 79, true),
        gw("other", "west", ComponentState.RUNNING, 79, true),
        gw("portless", "east", ComponentState.RUNNING, null, true));
    StreamTarget t = route("west", EAST_WORKER, useless, true);
    assertEquals(Route.DIRECT_FALLBACK, t.route());
    assertEquals("ex-east", t.host());
    assertEquals(7900, t.port());
    assertTrue(t.tls(), "tls from the executor's use_ssl");
    assertEquals("east", t.zone());
    assertEquals(EAST_WORKER.attributes(), t.attributes());
    List<ILoggingEvent> warnings = warnings();
    assertEquals(1, warnings.size());
    String message = warnings.get(0).getFormattedMessage();
    assertTrue(message.contains("east") && message.contains("zone west") && message.contains(ID), message);

    logs.list.clear();
    StreamTarget fromUnzoned = route(null, EAST_WORKER, List.of(), false);
    assertEquals(Route.DIRECT_FALLBACK, fromUnzoned.route());
    assertFalse(fromUnzoned.tls());
    String unzonedMessage = warnings().get(0).getFormattedMessage();
    assertTrue(unzonedMessage.contains("east") && unzonedMessage.contains("unzoned"), unzonedMessage);
  }

  @Test
  void hopsToExecutorsArePlainUnlessTheirOwnEntrySaysTls() throws Exception {
    // Zuul's executor: no log_port, no use_ssl. Zuul never dials its log port over TLS.
    ComponentInfo zuulExecutor = ComponentInfo.builder("executor", "ex-east").state(ComponentState.RUNNING)
        .zone("east").extra("accepting_work", true).build();
    StreamTarget t = ZoneRouter.route("east", ID, build(EAST_WORKER), List.of(), List.of(zuulExecutor), random);
    assertFalse(t.tls());
    assertEquals(Set.of(), t.capabilities());
    // Same host, a TLS Fingerpost streamer on another port and Zuul's executor: the port decides.
    ComponentInfo tlsStreamer = executor(new WorkerInfo("ex-east", 7999, "east"), true, 7999);
    assertFalse(ZoneRouter.route("east", ID, build(EAST_WORKER), List.of(), List.of(tlsStreamer, zuulExecutor),
        random).tls());
    WorkerInfo onTlsPort = new WorkerInfo("ex-east", 7999, "east");
    assertTrue(ZoneRouter.route("east", ID, build(onTlsPort), List.of(), List.of(zuulExecutor, tlsStreamer),
        random).tls(), "the exact log_port match wins over a host-only entry");
    // Another host's TLS entry never applies; neither does an entry of another kind.
    ComponentInfo otherHost = executor(new WorkerInfo("ex-west", 7900, "west"), true, 7900);
    ComponentInfo gatewayNamedLikeIt = gw("ex-east", "east", ComponentState.RUNNING, 7900, true);
    assertFalse(ZoneRouter.route("east", ID, build(EAST_WORKER), List.of(),
        List.of(otherHost, gatewayNamedLikeIt), random).tls());
    // The relay's fallback hint follows the same rule.
    StreamTarget viaGateway = ZoneRouter.route("west", ID, build(onTlsPort),
        List.of(gw("g", "east", ComponentState.RUNNING, 79, true)), List.of(tlsStreamer), random);
    assertEquals(Optional.of(new StreamTarget.Endpoint("ex-east", 7999, true, tlsStreamer.capabilities())),
        viaGateway.fallback(), "with its entry's capabilities: the relay asks it for an offset when it may");
  }

  /** Issue 15, finding 5: the guards of {@link ZoneRouter.Policy}. */
  @Test
  void guardsRefuseUnregisteredWorkersAndTheNodesOwnAddress() throws Exception {
    ZoneRouter.Policy guarded = new ZoneRouter.Policy(true, e -> e.host().equals("gw-self") && e.port() == 79);
    ComponentInfo zuulExecutor = ComponentInfo.builder("executor", "ex-east").state(ComponentState.RUNNING)
        .zone("east").build();
    // A Zuul executor registers its hostname only: any log port of that host is its.
    assertEquals("ex-east", ZoneRouter.route("east", ID, build(EAST_WORKER), List.of(), List.of(zuulExecutor),
        random, guarded).host());
    // No executor serves the worker (a Fingerpost streamer on another port of the host does not).
    ComponentInfo streamerElsewhere = executor(new WorkerInfo("ex-east", 22, "east"), false, 7999);
    StreamException refused = assertThrows(StreamException.class, () -> ZoneRouter.route("east", ID,
        build(new WorkerInfo("ex-east", 22, "east")), List.of(), List.of(streamerElsewhere), random, guarded));
    assertEquals(StreamException.Kind.INTERNAL, refused.kind());
    assertTrue(refused.getMessage().contains("ex-east:22"), refused.getMessage());
    // Without a policy the rule dials it, as before.
    assertEquals(22, ZoneRouter.route("east", ID, build(new WorkerInfo("ex-east", 22, "east")), List.of(),
        List.of(streamerElsewhere), random).port());

    // A gateway entry at the node's own address is never chosen: the other one is, with no loop alternate.
    ComponentInfo self = gw("gw-self", "east", ComponentState.RUNNING, 79, false);
    ComponentInfo other = gw("gw-other", "east", ComponentState.RUNNING, 79, false);
    for (int i = 0; i < 10; i++) {
      StreamTarget t = ZoneRouter.route("west", ID, build(EAST_WORKER), List.of(self, other), List.of(zuulExecutor),
          random, guarded);
      assertEquals("gw-other", t.host());
      assertEquals(List.of(), t.alternates());
    }
    // Only the node itself in the zone: the direct fallback, to a registered executor only.
    assertEquals(Route.DIRECT_FALLBACK, ZoneRouter.route("west", ID, build(EAST_WORKER), List.of(self),
        List.of(zuulExecutor), random, guarded).route());
    assertThrows(StreamException.class, () -> ZoneRouter.route("west", ID, build(EAST_WORKER), List.of(self),
        List.of(), random, guarded));
    // An unregistered worker is no relay fallback either.
    assertEquals(Optional.empty(), ZoneRouter.route("west", ID, build(EAST_WORKER), List.of(other), List.of(),
        random, guarded).fallback());
    // A worker at the node's own address is refused even when registered.
    WorkerInfo atSelf = new WorkerInfo("gw-self", 79, null);
    ComponentInfo selfAsExecutor = executor(atSelf, false, 79);
    assertThrows(StreamException.class, () -> ZoneRouter.route(null, ID, build(atSelf), List.of(),
        List.of(selfAsExecutor), random, guarded));
  }

  @Test
  void needsGatewayOnlyForAnotherSetZone() {
    assertFalse(ZoneRouter.needsGateway("east", EAST_WORKER));
    assertTrue(ZoneRouter.needsGateway("west", EAST_WORKER));
    assertTrue(ZoneRouter.needsGateway(null, EAST_WORKER));
    assertTrue(ZoneRouter.needsGateway(" ", EAST_WORKER));
    assertFalse(ZoneRouter.needsGateway("west", UNZONED_WORKER));
    assertFalse(ZoneRouter.needsGateway(null, UNZONED_WORKER));
  }

  @Test
  void gatewayTargetCarriesTheZonesOtherRunningGatewaysAsFailoverCandidates() throws Exception {
    List<ComponentInfo> gateways = List.of(
        gw("gw-1", "east", ComponentState.RUNNING, 7001, null),
        gw("gw-2", "east", ComponentState.RUNNING, 7002, true),
        gw("gw-3", "east", ComponentState.RUNNING, 7003, null),
        gw("gw-paused", "east", ComponentState.PAUSED, 7004, null),
        gw("gw-stopped", "east", ComponentState.STOPPED, 7005, null),
        gw("gw-west", "west", ComponentState.RUNNING, 7006, null));
    java.util.Set<String> firstChoices = new java.util.HashSet<>();
    for (int i = 0; i < 50; i++) {
      StreamTarget t = route("west", EAST_WORKER, gateways, false);
      List<StreamTarget.Endpoint> alternates = t.alternates();
      java.util.Set<String> all = new java.util.HashSet<>();
      all.add(t.host() + ":" + t.port() + ":" + t.tls());
      for (StreamTarget.Endpoint e : alternates) {
        all.add(e.host() + ":" + e.port() + ":" + e.tls());
      }
      assertEquals(2, alternates.size(), "the chosen gateway is not among its alternates");
      assertEquals(java.util.Set.of("gw-1:7001:false", "gw-2:7002:true", "gw-3:7003:false"), all,
          "only running gateways of the worker's zone");
      assertEquals(Optional.of(new StreamTarget.Endpoint("ex-east", 7900, false)), t.fallback());
      firstChoices.add(t.host());
    }
    assertEquals(java.util.Set.of("gw-1", "gw-2", "gw-3"), firstChoices, "random among the running gateways");
  }

  @Test
  void failoverCandidatesCarryTheCapabilitiesOfTheirEntries() throws Exception {
    Set<String> ours = Set.of(StreamTarget.OFFSET_CAPABILITY, StreamTarget.HOPS_CAPABILITY);
    ComponentInfo fingerpost = ComponentInfo.builder("fingergw", "gw-1").zone("east").state(ComponentState.RUNNING)
        .publicPort(7001).capabilities(ours).build();
    ComponentInfo zuul = gw("gw-2", "east", ComponentState.RUNNING, 7002, null);
    for (int i = 0; i < 20; i++) {
      StreamTarget t = route("west", EAST_WORKER, List.of(fingerpost, zuul), false);
      StreamTarget.Endpoint other = t.alternates().get(0);
      assertEquals(other.host().equals("gw-1") ? ours : Set.of(), other.capabilities(),
          "a relay asks an alternate for an offset or a hop count only when its entry lists them");
    }
  }
}
