package org.fingerpost.webapp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.Closeable;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fingerpost.registry.BuildDirectory;
import org.fingerpost.registry.ComponentInfo;
import org.fingerpost.registry.ComponentRegistration;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.registry.ComponentDirectory;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.SharedStreams;
import org.fingerpost.registry.StreamMetrics;
import org.fingerpost.registry.StreamRouter;
import org.fingerpost.registry.ZoneRouter;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.Transports;
import org.fingerpost.webapp.webhooks.WebhookConnections;
import org.fingerpost.webapp.webhooks.Webhooks;

/**
 * Everything the web tier's endpoints share: the registry, the resolve-and-open path
 * ({@link StreamRouter} with this node's zone), the Prometheus registry behind {@code /metrics}, the
 * threads for registry lookups and websocket timers, and the webhook endpoint ({@link Webhooks}).
 *
 * <p><b>Ownership.</b> The registry and transports belong to the caller; {@link #close()} stops only
 * the threads created here. Thread-safe.
 */
public final class WebServices implements Closeable {
  /** Lookups waiting for a thread; beyond this new websockets get {@code Internal streaming error}. */
  public static final int LOOKUP_QUEUE_CAPACITY = 10_000;
  /** The component kind Zuul's web servers register with. */
  public static final String COMPONENT_KIND = "web";

  private final WebSettings settings;
  private final Registry registry;
  private final Transports transports;
  private final PrometheusMeterRegistry prometheus;
  private final StreamRouter router;
  private final BuildDirectory builds;
  private final ComponentDirectory components;
  /** Watch-fed executor entries: TLS and capabilities of direct hops, no ZooKeeper read per lookup. */
  private final ComponentDirectory executors;
  private final ThreadPoolExecutor lookups;
  private final ScheduledExecutorService timers;
  private final AtomicInteger openSockets = new AtomicInteger();
  private final Counter slowClients;
  private final SharedStreams shared;
  private final Webhooks webhooks;
  private ComponentRegistration registration;

  public WebServices(WebSettings settings, Registry registry, Transports transports) {
    this(settings, registry, transports, WebhookConnections.none());
  }

  /** @param webhooks the connections whose webhooks {@code /api/connection/<name>/payload} receives */
  public WebServices(WebSettings settings, Registry registry, Transports transports, WebhookConnections webhooks) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.transports = Objects.requireNonNull(transports, "transports");
    this.prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.webhooks = new Webhooks(Objects.requireNonNull(webhooks, "webhooks"), registry, prometheus);
    this.builds = new BuildDirectory(registry);
    this.components = new ComponentDirectory(registry);
    this.executors = ComponentDirectory.watching(registry, ZoneRouter.EXECUTOR_KIND);
    this.router = StreamRouter.builder(builds, components, transports)
        .zone(settings.zone())
        .metrics(new StreamMetrics(prometheus))
        .executors(executors)
        .build();
    this.lookups = new ThreadPoolExecutor(settings.lookupThreads(), settings.lookupThreads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(LOOKUP_QUEUE_CAPACITY), daemonThreads("web-lookup"));
    this.lookups.allowCoreThreadTimeOut(true);
    this.timers = Executors.newSingleThreadScheduledExecutor(daemonThreads("web-timer"));
    prometheus.gauge("fingerpost.web.websockets.open", openSockets);
    this.slowClients = Counter.builder("fingerpost.web.slow.clients")
        .description("Websockets closed because their send buffer stayed full").register(prometheus);
    // Concurrent websockets of one build share one upstream (issue 6).
    this.shared = SharedStreams.builder(new SharedStreams.Opener() {
          @Override
          public LogStream open(String buildId, String tenant, LogSink sink) {
            return router.openAsync(buildId, tenant, sink, lookups);
          }

          @Override
          public LogStream open(String buildId, String tenant, long offset, LogSink sink) {
            return router.openAsync(buildId, tenant, offset, sink, lookups);
          }
        })
        .windowBytes(settings.sharedWindowBytes())
        .viewerBufferBytes(settings.viewerBufferBytes())
        .meters(prometheus)
        .build();
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
    return router;
  }

  /** Shares one upstream among the websockets of one build; see {@link SharedStreams}. */
  public SharedStreams sharedStreams() {
    return shared;
  }

  public BuildDirectory builds() {
    return builds;
  }

  public ComponentDirectory components() {
    return components;
  }

  /** The webhook endpoint's configuration and event-queue writer. */
  public Webhooks webhooks() {
    return webhooks;
  }

  public PrometheusMeterRegistry prometheus() {
    return prometheus;
  }

  /** Runs registry lookups; bounded queue. */
  public ThreadPoolExecutor lookups() {
    return lookups;
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
    String v = WebServices.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (registration != null) {
        registration.close();
      }
    }
    webhooks.close();
    lookups.shutdownNow();
    timers.shutdownNow();
    executors.close();
    prometheus.close();
  }
}
