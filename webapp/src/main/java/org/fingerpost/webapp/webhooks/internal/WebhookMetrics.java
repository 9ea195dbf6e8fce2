package org.fingerpost.webapp.webhooks.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The endpoint's meters, per connection: {@code fingerpost_webhooks_accepted_total}, {@code
 * fingerpost_webhooks_refused_total{reason}}, {@code fingerpost_webhooks_bytes_total} (bodies
 * accepted) and the histogram {@code fingerpost_webhooks_persist_seconds} (from the put to
 * ZooKeeper's confirmation). Refusals of unknown connection names are counted under connection
 * {@value #UNKNOWN}, so that senders cannot create meters at will. Thread-safe.
 */
final class WebhookMetrics {
  static final String UNKNOWN = "(unknown)";

  private final MeterRegistry meters;
  /** Meters by connection (and reason), made on first use: no registry lookup per delivery. */
  private final Map<String, Accepted> accepted = new ConcurrentHashMap<>();
  private final Map<String, Counter> refused = new ConcurrentHashMap<>();

  private record Accepted(Counter deliveries, Counter bytes, Timer persist) {}

  WebhookMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void accepted(String connection, long bytes, Duration persist) {
    Accepted m = accepted.computeIfAbsent(connection, c -> new Accepted(
        Counter.builder("fingerpost.webhooks.accepted").description("Webhook deliveries stored and acknowledged")
            .tag("connection", c).register(meters),
        Counter.builder("fingerpost.webhooks.bytes").description("Bytes of webhook bodies stored")
            .baseUnit("bytes").tag("connection", c).register(meters),
        Timer.builder("fingerpost.webhooks.persist").description("From the put to ZooKeeper's confirmation")
            .publishPercentileHistogram().tag("connection", c).register(meters)));
    m.deliveries().increment();
    m.bytes().increment(bytes);
    m.persist().record(persist);
  }

  void refused(String connection, String reason) {
    refused.computeIfAbsent(connection + "\n" + reason, k -> Counter.builder("fingerpost.webhooks.refused")
        .description("Webhook deliveries refused, by reason")
        .tag("connection", connection).tag("reason", reason).register(meters)).increment();
  }
}
