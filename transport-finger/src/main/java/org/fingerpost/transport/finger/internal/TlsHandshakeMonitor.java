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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the TLS handshakes of a finger server's connector: logs each failed one with the peer and
 * the reason (no client certificate, unknown CA, expired, not TLS at all, ...), and closes a
 * connection whose handshake is not complete within the handshake timeout, so a peer that opens a
 * socket and stalls cannot hold it. Registered as a connector bean, which Jetty attaches to every
 * TLS connection. Thread-safe.
 */
public final class TlsHandshakeMonitor implements Connection.Listener, SslHandshakeListener {
  private static final Logger LOG = LoggerFactory.getLogger(TlsHandshakeMonitor.class);

  private final String name;
  private final Duration timeout;
  private final Scheduler scheduler;
  private final Map<SSLEngine, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong failures = new AtomicLong();

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
    LOG.warn("{}: TLS handshake with {} failed, connection refused: {}", name,
        p == null ? "a client" : p.remote(), describe(failure));
  }

  private void timedOut(Pending p) {
    if (pending.remove(p.connection.getSSLEngine()) == null) {
      return;
    }
    failures.incrementAndGet();
    LOG.warn("{}: TLS handshake with {} not complete within {} ms, connection closed", name, p.remote(),
        timeout.toMillis());
    p.connection.getEndPoint().close();
  }

  /** BoringSSL (Conscrypt) reason codes, as they appear in its messages, and what they mean here. */
  private static final Map<String, String> REASONS = Map.of(
      "PEER_DID_NOT_RETURN_A_CERTIFICATE", "the client presented no certificate signed by our CA",
      "SSLV3_ALERT_CERTIFICATE_UNKNOWN", "the peer rejected our certificate or sent one we do not trust",
      "TLSV1_ALERT_UNKNOWN_CA", "the peer does not trust our CA",
      "CERTIFICATE_VERIFY_FAILED", "the client certificate is not signed by the configured CA",
      "WRONG_VERSION_NUMBER", "not TLS (a plain-text client on a TLS port?)",
      "HTTP_REQUEST", "not TLS (plain text on a TLS port)",
      "UNSUPPORTED_PROTOCOL", "the client offers no TLS version of 1.2 or later");
  private static final java.util.regex.Pattern REASON = java.util.regex.Pattern.compile("OPENSSL_internal:([A-Z0-9_]+)");

  /** One line: the reason in words when it is known, then the exception's own text. */
  static String describe(Throwable failure) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String m = c.getMessage();
      if (m != null && !sb.toString().contains(m)) {
        sb.append(sb.length() == 0 ? "" : ": ").append(m);
      }
    }
    String text = sb.toString().replaceAll("\\s*\\R\\s*", " ");
    java.util.regex.Matcher m = REASON.matcher(text);
    if (m.find()) {
      String meaning = REASONS.getOrDefault(m.group(1), m.group(1));
      return meaning + " (" + m.group(1) + ")";
    }
    if (text.contains("Unsupported or unrecognized SSL message") || text.contains("plaintext")
        || text.contains("Unable to parse TLS packet header")) {
      return "not TLS (a plain-text client on a TLS port?): " + text;
    }
    return text;
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
