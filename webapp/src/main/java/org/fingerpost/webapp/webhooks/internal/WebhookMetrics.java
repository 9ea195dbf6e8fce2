package org.fingerpost.webapp.webhooks.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

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

  WebhookMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  void accepted(String connection, long bytes, Duration persist) {
    Counter.builder("fingerpost.webhooks.accepted").description("Webhook deliveries stored and acknowledged")
        .tag("connection", connection).register(meters).increment();
    Counter.builder("fingerpost.webhooks.bytes").description("Bytes of webhook bodies stored")
        .baseUnit("bytes").tag("connection", connection).register(meters).increment(bytes);
    Timer.builder("fingerpost.webhooks.persist").description("From the put to ZooKeeper's confirmation")
        .publishPercentileHistogram().tag("connection", connection).register(meters).record(persist);
  }

  void refused(String connection, String reason) {
    Counter.builder("fingerpost.webhooks.refused").description("Webhook deliveries refused, by reason")
        .tag("connection", connection).tag("reason", reason).register(meters).increment();
  }
}
