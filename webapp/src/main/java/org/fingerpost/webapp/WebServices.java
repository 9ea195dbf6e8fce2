package org.fingerpost.webapp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.Closeable;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.fingerpost.registry.BuildDirectory;
import org.fingerpost.registry.ComponentDirectory;
import org.fingerpost.registry.ComponentInfo;
import org.fingerpost.registry.ComponentRegistration;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.registry.Registry;
import org.fingerpost.streams.SharedStreams;
import org.fingerpost.streams.StreamFront;
import org.fingerpost.streams.StreamMetrics;
import org.fingerpost.streams.StreamRouter;
import org.fingerpost.transport.Transports;
import org.fingerpost.webapp.auth.AccessControl;
import org.fingerpost.webapp.auth.AuthSettings;
import org.fingerpost.webapp.auth.AuthMetrics;
import org.fingerpost.webapp.webhooks.WebhookConnections;
import org.fingerpost.webapp.webhooks.Webhooks;

/**
 * Everything the web tier's endpoints share: the registry, the resolve-and-open path
 * ({@link StreamRouter} with this node's zone), the Prometheus registry behind {@code /metrics} (see
 * {@link MonitoringAnswers}), the threads for registry lookups and websocket timers, read protection
 * ({@link AccessControl}) and the webhook endpoint ({@link Webhooks}).
 *
 * <p><b>Ownership.</b> The registry and transports belong to the caller; {@link #close()} stops only
 * the threads created here. Thread-safe.
 */
public final class WebServices implements Closeable {
  /** The component kind Zuul's web servers register with. */
  public static final String COMPONENT_KIND = "web";

  private final WebSettings settings;
  private final Registry registry;
  private final Transports transports;
  private final PrometheusMeterRegistry prometheus;
  private final StreamFront front;
  private final ScheduledExecutorService timers;
  private final AtomicInteger openSockets = new AtomicInteger();
  private final Counter slowClients;
  private volatile ComponentRegistration registration;
  private volatile boolean closed;
  private final AccessControl access;
  private final Webhooks webhooks;

  /**
   * Web services with {@link AuthSettings#defaults()} (Zuul's rules from ZooKeeper, no authenticators)
   * and no webhook connections.
   */
  public WebServices(WebSettings settings, Registry registry, Transports transports) {
    this(settings, registry, transports, AuthSettings.defaults(), WebhookConnections.none());
  }

  /**
   * @param auth read protection (docs/web-tier.md "Protecting logs")
   * @throws IllegalArgumentException for an unusable {@code auth} (for example an unreadable key file)
   */
  public WebServices(WebSettings settings, Registry registry, Transports transports, AuthSettings auth) {
    this(settings, registry, transports, auth, WebhookConnections.none());
  }

  /** @param webhooks the connections whose webhooks {@code /api/connection/<name>/payload} receives */
  public WebServices(WebSettings settings, Registry registry, Transports transports, WebhookConnections webhooks) {
    this(settings, registry, transports, AuthSettings.defaults(), webhooks);
  }

  /**
   * @param auth read protection (docs/web-tier.md "Protecting logs")
   * @param webhooks the connections whose webhooks {@code /api/connection/<name>/payload} receives
   * @throws IllegalArgumentException for an unusable {@code auth} (for example an unreadable key file)
   */
  public WebServices(WebSettings settings, Registry registry, Transports transports, AuthSettings auth,
      WebhookConnections webhooks) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.transports = Objects.requireNonNull(transports, "transports");
    this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // First: a bad auth configuration (an unreadable key file) fails before any thread is started.
    this.access = AccessControl.create(Objects.requireNonNull(auth, "auth"), registry, new AuthMetrics(prometheus));
    this.webhooks = new Webhooks(Objects.requireNonNull(webhooks, "webhooks"), registry, prometheus);
    // The gateway's stream front, with this node's settings: watched registry copies, lookup threads,
    // routing and shared upstreams (concurrent websockets of one build share one upstream).
    this.front = StreamFront.builder(registry, transports)
        .zone(settings.zone())
        .lookupThreads(settings.lookupThreads())
        .sharedWindowBytes(settings.sharedWindowBytes())
        .viewerBufferBytes(settings.viewerBufferBytes())
        .catchUpUpstreams(settings.catchUpUpstreams())
        .metrics(new StreamMetrics(prometheus))
        .threadName("web-lookup")
        .build();
    front.start();
    this.timers = Executors.newSingleThreadScheduledExecutor(daemonThreads("web-timer"));
    prometheus.gauge("fingerpost.web.websockets.open", openSockets);
    MonitoringAnswers.registerRegistryGauge(prometheus, registry);
    this.slowClients = Counter.builder("fingerpost.web.slow.clients")
        .description("Websockets closed because their send buffer stayed full").register(prometheus);
  }

  /** The webhook endpoint's receiver (docs/web-tier.md "Webhooks"). */
  public Webhooks webhooks() {
    return webhooks;
  }

  /** Read protection: who may read which tenant's builds (issue 13). */
  public AccessControl access() {
    return access;
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  public WebSettings settings() {
    return settings;
  }

  public Registry registry() {
    return registry;
  }

  public Transports transports() {
    return transports;
  }

  public StreamRouter router() {
    return front.router();
  }

  /** Shares one upstream among the websockets of one build; see {@link SharedStreams}. */
  public SharedStreams sharedStreams() {
    return front.sharedStreams();
  }

  public BuildDirectory builds() {
    return front.builds();
  }

  public ComponentDirectory components() {
    return front.components();
  }

  public PrometheusMeterRegistry prometheus() {
    return prometheus;
  }

  /** Runs registry lookups; bounded queue. */
  public Executor lookups() {
    return front.lookups();
  }

  /** Pings and slow-client timers; tasks must not block. */
  public ScheduledExecutorService timers() {
    return timers;
  }

  /** Console-stream websockets open now. */
  public AtomicInteger openSockets() {
    return openSockets;
  }

  /** Websockets closed as too slow so far. */
  public Counter slowClients() {
    return slowClients;
  }

  /**
   * Registers this web node as a running {@code web} component (Zuul's kind), named by this host's
   * canonical name, so {@code /api/components} and operators see it. Removed by {@link #close()}.
   */
  public synchronized void register() {
    if (registration != null) {
      return;
    }
    String hostname = org.fingerpost.registry.LocalHostname.canonical();
    registration = new ComponentRegistration(registry, ComponentInfo.builder(COMPONENT_KIND, hostname)
        .state(ComponentState.RUNNING).version(version()).zone(settings.zone()).build());
    registration.start();
  }

  /** The version of this build (jar manifest), {@code dev} when run from classes. */
  public static String version() {
    return ComponentRegistration.VERSION;
  }

  /**
   * The state of this web node's registration: {@code INITIALIZING} before {@link #register()}, then
   * as registered, {@code STOPPED} once {@link #close()} is called. Thread-safe, never blocks.
   */
  public ComponentState state() {
    return ComponentRegistration.stateOf(registration, closed);
  }

  @Override
  public void close() {
    closed = true;
    synchronized (this) {
      if (registration != null) {
        registration.close();
      }
    }
    access.close();
    webhooks.close();
    front.close();
    timers.shutdownNow();
    prometheus.close();
  }
}
