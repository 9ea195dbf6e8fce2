package org.fingerpost.webapp;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.function.Supplier;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.registry.Registry;

/**
 * The answers of Zuul's monitoring endpoints ({@code zuul/lib/monitoring.py}, docs/design.md 4), the one
 * implementation behind both places they are served: every daemon's {@code prometheus_port} listener
 * (packaging's {@code MonitoringServer}) and the web tier's own port (the fat jar's {@code web} and the
 * WAR):
 * <ul>
 *   <li>{@value #LIVE}: {@code 200}, empty body;
 *   <li>{@value #READY}: {@code 200} while the component state is {@code RUNNING} or {@code PAUSED},
 *       else {@code 503}; empty body;
 *   <li>{@value #STATUS}: {@code 200}, {@code Content-Type: text/plain}, the state upper-cased (for
 *       example {@code RUNNING}, no newline);
 *   <li>{@value #METRICS} (and {@code /} on a monitoring listener): the Prometheus text format;
 *   <li>anything else: {@code 404}, empty body.
 * </ul>
 * Empty answers carry no {@code Content-Type}, as Zuul's. Stateless and thread-safe.
 */
public final class MonitoringAnswers {
  public static final String LIVE = "/health/live";
  public static final String READY = "/health/ready";
  public static final String STATUS = "/health/status";
  public static final String METRICS = "/metrics";
  /** Prometheus text exposition format (what Zuul's {@code prometheus_client} sends). */
  public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** The content type of {@value #STATUS}, as Zuul sends it. */
  public static final String STATUS_CONTENT_TYPE = "text/plain";

  private static final int OK = 200;
  private static final int NOT_FOUND = 404;
  private static final int UNAVAILABLE = 503;

  /** An HTTP answer: status, content type (null: none) and body (empty: none). */
  public record Answer(int status, String contentType, String body) {}

  private MonitoringAnswers() {}

  /**
   * The answer for {@code path}, whatever the method.
   *
   * @param state the component's state (the one it registers in ZooKeeper); must not block
   * @param metrics renders the meter registry in the Prometheus text format
   */
  public static Answer answer(String path, Supplier<ComponentState> state, Supplier<String> metrics) {
    switch (path) {
      case LIVE:
        return new Answer(OK, null, "");
      case READY:
        ComponentState now = state.get();
        return new Answer(now == ComponentState.RUNNING || now == ComponentState.PAUSED ? OK : UNAVAILABLE, null, "");
      case STATUS:
        return new Answer(OK, STATUS_CONTENT_TYPE, state.get().name().toUpperCase(Locale.ROOT));
      case METRICS:
      case "/":
        return new Answer(OK, METRICS_CONTENT_TYPE, metrics.get());
      default:
        return new Answer(NOT_FOUND, null, "");
    }
  }

  /**
   * {@code fingerpost_registry_connected}: 1 while {@code registry} is connected to ZooKeeper, else 0.
   * Readiness does not follow the connection (as in Zuul); this gauge does.
   */
  public static void registerRegistryGauge(MeterRegistry meters, Registry registry) {
    Gauge.builder("fingerpost.registry.connected", registry, r -> r.isConnected() ? 1 : 0)
        .description("1 while connected to ZooKeeper").register(meters);
  }
}
