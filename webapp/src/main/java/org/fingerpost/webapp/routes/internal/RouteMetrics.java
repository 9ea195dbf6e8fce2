package org.fingerpost.webapp.routes.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fingerpost.webapp.routes.RouteTable;

/**
 * Per-route meters on {@code /metrics} (Prometheus names):
 * <ul>
 *   <li>{@code fingerpost_web_route_requests_total{route,status}}: finished exchanges by status class
 *       ({@code 1xx} … {@code 5xx}; a proxied websocket counts as {@code 1xx} when it closes);
 *   <li>{@code fingerpost_web_route_bytes_total{route,direction}}: body (or websocket payload) bytes,
 *       {@code received} from clients, {@code sent} to them;
 *   <li>{@code fingerpost_web_route_latency_seconds{route}} (histogram): from the request to the
 *       backend's response headers (or websocket handshake);
 *   <li>{@code fingerpost_web_route_duration_seconds{route}}: whole exchanges (count, sum, max);
 *   <li>{@code fingerpost_web_route_websockets_open{route}}: proxied websockets open now.
 * </ul>
 * Routes are fixed at start, so the meters of a route are made once. Thread-safe.
 */
public final class RouteMetrics {
  private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

  private final MeterRegistry meters;
  private final AccessLog accessLog;
  private final Map<String, Meters> byRoute = new ConcurrentHashMap<>();

  /** One route's meters. */
  final class Meters {
    final Counter[] requests = new Counter[CLASSES.length];
    final Counter received;
    final Counter sent;
    final Timer latency;
    final Timer duration;
    final AtomicInteger websockets = new AtomicInteger();

    Meters(String route) {
      for (int i = 0; i < CLASSES.length; i++) {
        requests[i] = Counter.builder("fingerpost.web.route.requests").description("Proxied exchanges finished, by status class")
            .tag("route", route).tag("status", CLASSES[i]).register(meters);
      }
      received = bytes(route, "received");
      sent = bytes(route, "sent");
      latency = Timer.builder("fingerpost.web.route.latency").description("From the request to the backend's response headers")
          .publishPercentileHistogram().tag("route", route).register(meters);
      duration = Timer.builder("fingerpost.web.route.duration").description("Whole proxied exchanges")
          .tag("route", route).register(meters);
      meters.gauge("fingerpost.web.route.websockets.open", java.util.List.of(io.micrometer.core.instrument.Tag.of("route", route)),
          websockets);
    }

    private Counter bytes(String route, String direction) {
      return Counter.builder("fingerpost.web.route.bytes").description("Body and websocket payload bytes proxied")
          .baseUnit("bytes").tag("route", route).tag("direction", direction).register(meters);
    }
  }

  public RouteMetrics(MeterRegistry meters, boolean accessLog) {
    this.meters = meters;
    this.accessLog = accessLog ? new AccessLog() : null;
  }

  /** Makes the meters of every route of {@code table}, so they show before the first request. */
  public void register(RouteTable table) {
    for (RouteTable.Route r : table.routes()) {
      meters(r.prefix());
    }
  }

  Meters meters(String route) {
    return byRoute.computeIfAbsent(route, Meters::new);
  }

  /** Starts recording one exchange; call from the thread that received the request. */
  public Exchange start(RouteTable.Route route, String method, String path, String peer, boolean websocket) {
    return new Exchange(this, meters(route.prefix()), route.prefix(), method, path, peer, websocket);
  }

  void finished(Exchange e, int status, long nanos, String error) {
    Meters m = e.meters;
    int cls = status / 100 - 1;
    if (cls >= 0 && cls < CLASSES.length) {
      m.requests[cls].increment();
    }
    m.duration.record(nanos, TimeUnit.NANOSECONDS);
    if (accessLog != null) {
      accessLog.log(e, status, nanos, error);
    }
  }
}
