package org.fingerpost.webapp.routes.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one proxied exchange (HTTP request or websocket) did, for {@link RouteMetrics} and the access
 * log: counted as it goes, recorded once by {@link #finish}. Thread-safe (the two directions of a
 * websocket count from different threads).
 */
public final class Exchange {
  private final RouteMetrics metrics;
  final RouteMetrics.Meters meters;
  final String route;
  final String method;
  final String path;
  final String peer;
  final boolean websocket;
  private final long start = System.nanoTime();
  final LongAdder received = new LongAdder();
  final LongAdder sent = new LongAdder();
  private final AtomicBoolean responded = new AtomicBoolean();
  private final AtomicBoolean finished = new AtomicBoolean();

  Exchange(RouteMetrics metrics, RouteMetrics.Meters meters, String route, String method, String path, String peer,
      boolean websocket) {
    this.metrics = metrics;
    this.meters = meters;
    this.route = route;
    this.method = method;
    this.path = path;
    this.peer = peer;
    this.websocket = websocket;
    if (websocket) {
      meters.websockets.incrementAndGet();
    }
  }

  /** The backend answered (response headers, or the websocket handshake): records the latency once. */
  public void responded() {
    if (responded.compareAndSet(false, true)) {
      meters.latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  /** Bytes received from the client. */
  public void received(long bytes) {
    received.add(bytes);
    meters.received.increment(bytes);
  }

  /** Bytes sent to the client. */
  public void sent(long bytes) {
    sent.add(bytes);
    meters.sent.increment(bytes);
  }

  /** Records the end once; later calls do nothing. {@code error}: why it failed, or null. */
  public void finish(int status, String error) {
    if (finished.compareAndSet(false, true)) {
      if (websocket) {
        meters.websockets.decrementAndGet();
      }
      metrics.finished(this, status, System.nanoTime() - start, error);
    }
  }
}
