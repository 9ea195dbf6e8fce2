package org.fingerpost.transport.finger.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.util.thread.Scheduler;
import org.fingerpost.transport.RateLimitedWarning;
import org.fingerpost.transport.finger.TlsFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.MessageFormatter;

/**
 * Watches the TLS handshakes of a finger server's connector: logs each failed one with the peer and
 * the reason in {@link TlsFailures}' words (no client certificate, unknown CA, expired, not TLS at
 * all, ...), and closes a
 * connection whose handshake is not complete within the handshake timeout, so a peer that opens a
 * socket and stalls cannot hold it. Registered as a connector bean, which Jetty attaches to every
 * TLS connection. Thread-safe.
 */
public final class TlsHandshakeMonitor implements Connection.Listener, SslHandshakeListener {
  private static final Logger LOG = LoggerFactory.getLogger(TlsHandshakeMonitor.class);
  /**
   * WARN lines about refused or stalled handshakes per listener and minute; past them DEBUG, so that
   * a client failing on purpose cannot flood the log (the counter still counts every one).
   */
  public static final int WARN_LINES_PER_MINUTE = 10;

  private final String name;
  private final Duration timeout;
  private final Scheduler scheduler;
  private final Map<SSLEngine, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong failures = new AtomicLong();
  private final RateLimitedWarning warnings = new RateLimitedWarning(LOG::warn, LOG::debug,
      Duration.ofMinutes(1), WARN_LINES_PER_MINUTE);

  public TlsHandshakeMonitor(String name, Duration timeout, Scheduler scheduler) {
    this.name = name;
    this.timeout = timeout;
    this.scheduler = scheduler;
  }

  /** Handshakes that failed or timed out since start. */
  public long failures() {
    return failures.get();
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof SslConnection ssl) {
      Pending p = new Pending(ssl);
      pending.put(ssl.getSSLEngine(), p);
      p.task = scheduler.schedule(() -> timedOut(p), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void onClosed(Connection connection) {
    if (connection instanceof SslConnection ssl) {
      Pending p = pending.remove(ssl.getSSLEngine());
      if (p != null) {
        p.task.cancel();
      }
    }
  }

  @Override
  public void handshakeSucceeded(Event event) {
    Pending p = pending.remove(event.getSSLEngine());
    if (p != null) {
      p.task.cancel();
      LOG.debug("{}: TLS handshake with {} done ({}, {})", name, p.remote(),
          event.getSSLEngine().getSession().getProtocol(), event.getSSLEngine().getSession().getCipherSuite());
    }
  }

  @Override
  public void handshakeFailed(Event event, Throwable failure) {
    Pending p = pending.remove(event.getSSLEngine());
    if (p != null) {
      p.task.cancel();
    }
    failures.incrementAndGet();
    warnings.warn(MessageFormatter.arrayFormat(TlsFailures.LISTENER_REFUSED, new Object[] {name,
        p == null ? "a client" : p.remote(), TlsFailures.describe(TlsFailures.View.LISTENER, failure)}).getMessage());
  }

  private void timedOut(Pending p) {
    if (pending.remove(p.connection.getSSLEngine()) == null) {
      return;
    }
    failures.incrementAndGet();
    warnings.warn(MessageFormatter.arrayFormat(TlsFailures.LISTENER_STALLED,
        new Object[] {name, p.remote(), timeout.toMillis()}).getMessage());
    p.connection.getEndPoint().close();
  }

  private static final class Pending {
    final SslConnection connection;
    volatile Scheduler.Task task;

    Pending(SslConnection connection) {
      this.connection = connection;
    }

    Object remote() {
      return connection.getEndPoint().getRemoteSocketAddress();
    }
  }
}
