package org.fingerpost.transport.tls;

import java.time.Duration;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fingerpost.transport.ForwardingLogSink;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.LogTransport;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.TransportContext;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.finger.FingerClient;
import org.fingerpost.transport.finger.FingerTransport;
import org.fingerpost.transport.tls.internal.TlsFailures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in {@code tls} transport: finger over TLS to targets with {@link StreamTarget#tls()}
 * (a gateway registered with {@code use_ssl: true}, or an executor when executor hops use TLS).
 * Presents the configured client certificate, verifies the server against the CA bundle, sends
 * {@link StreamTarget#serverName()} as SNI and checks the certificate against it unless {@value
 * TlsSettings#VERIFY_HOSTNAMES_KEY} is false. Never falls back to plain text.
 *
 * <p>Settings read by {@link #start}: those of {@link TlsSettings} plus {@value
 * FingerTransport#CONNECT_TIMEOUT_KEY} (milliseconds for connect and handshake) and {@value
 * FingerTransport#BUFFER_BYTES_KEY}. Changed PEM files are picked up by a {@link CertificateReloader}.
 *
 * <p>Found with {@link java.util.ServiceLoader}. Thread-safe.
 */
public final class TlsTransport implements LogTransport {
  private static final Logger LOG = LoggerFactory.getLogger(TlsTransport.class);

  /** This transport's name in logs, metrics and settings. */
  public static final String NAME = "tls";

  private static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();

  /** Names this instance's threads ({@code tls-transport-<n>-...}), so they can be told apart. */
  private final String clientName = "tls-transport-" + INSTANCES.incrementAndGet();
  private volatile FingerClient client;
  private volatile CertificateReloader reloader;
  private volatile String provider;

  /** For {@link java.util.ServiceLoader}. */
  public TlsTransport() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean supports(StreamTarget target) {
    return target.tls();
  }

  @Override
  public synchronized void start(TransportSettings settings, TransportContext context) throws Exception {
    if (client != null) {
      throw new IllegalStateException("tls transport already started");
    }
    TlsSettings tls = TlsSettings.from(settings);
    SslContextFactory.Client factory = TlsContexts.client(tls);
    FingerClient c = FingerClient.builder()
        .name(clientName)
        .connectTimeout(settings.getMillis(FingerTransport.CONNECT_TIMEOUT_KEY, FingerClient.DEFAULT_CONNECT_TIMEOUT))
        .bufferBytes(settings.getInt(FingerTransport.BUFFER_BYTES_KEY, FingerClient.DEFAULT_BUFFER_BYTES))
        .sslContextFactory(factory)
        .build();
    c.start();
    provider = factory.getProvider();
    client = c;
    if (tls.hasFiles()) {
      reloader = CertificateReloader.start(factory, tls);
    }
    LOG.info("tls transport started with provider {}", provider);
  }

  /** The JSSE provider in use ({@link TlsProvider#CONSCRYPT} or {@link TlsProvider#JDK}); null before start. */
  public String provider() {
    return provider;
  }

  /** Streams opened and not yet finished; for metrics and tests. */
  public int openStreams() {
    FingerClient c = client;
    return c == null ? 0 : c.openStreams();
  }

  /** The name of this transport's client and the prefix of its threads' names. */
  public String clientName() {
    return clientName;
  }

  /** The reloader watching the PEM files, or null when none are configured; for tests. */
  public CertificateReloader reloader() {
    return reloader;
  }

  @Override
  public LogStream open(StreamTarget target, LogSink sink) {
    FingerClient c = client;
    if (c == null) {
      sink.onError(StreamException.internal("tls transport is not started", null));
      return LogStream.CLOSED;
    }
    return c.open(target, new Reporting(target, sink));
  }

  /** Logs a TLS refusal of the hop in words (WARN, one line); passes every call on unchanged. */
  private static final class Reporting extends ForwardingLogSink {
    private final StreamTarget target;

    Reporting(StreamTarget target, LogSink sink) {
      super(sink);
      this.target = target;
    }

    @Override
    public void onError(StreamException error) {
      if (TlsFailures.isTls(error)) {
        LOG.warn("TLS hop to {}:{} (SNI {}) for build {} failed: {}", target.host(), target.port(),
            target.serverName(), target.buildId(), TlsFailures.describe(error));
      }
      super.onError(error);
    }
  }

  @Override
  public synchronized void close() {
    if (reloader != null) {
      reloader.close();
    }
    if (client != null) {
      client.close();
    }
  }

  @Override
  public String toString() {
    return "TlsTransport[" + provider + "]";
  }
}
