package org.fingerpost.transport.finger.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.fingerpost.transport.finger.ConnectionLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty side of one {@link org.fingerpost.transport.finger.FingerServer}: its {@link Server} and
 * thread pool, the {@link ServerConnector} with the finger connection factory (wrapped in TLS when
 * an {@link SslContextFactory.Server} is given, with a {@link TlsHandshakeMonitor}), and the open
 * connections it closes when it stops.
 *
 * <p><b>Threads.</b> Thread-safe as Jetty's server is; {@link #stop} is called once, by the owning
 * {@code FingerServer}.
 */
public final class FingerConnector {
  private static final Logger LOG = LoggerFactory.getLogger(FingerConnector.class);

  private final ServerSettings settings;
  private final Server server;
  private final ServerConnector connector;
  private final TlsHandshakeMonitor handshakes;
  private final LongSupplier refusals;

  /**
   * @param sslContextFactory null for a plain port
   * @param stalledClientTimeout the connector's idle timeout (see {@link FingerServerConnection})
   * @param limits connection limits and accept queue; a refused plain client reads {@link ConnectionLimits#REFUSAL}
   */
  public FingerConnector(ServerSettings settings, String host, int port, Duration stalledClientTimeout,
      SslContextFactory.Server sslContextFactory, Duration handshakeTimeout, ConnectionLimits limits) {
    this.settings = settings;
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName(settings.name);
    this.server = new Server(threads);
    // Connections are closed by stop() itself; no graceful wait on stop.
    server.setStopTimeout(0);
    FingerServerConnectionFactory finger = new FingerServerConnectionFactory(settings);
    this.connector = sslContextFactory == null
        ? new ServerConnector(server, finger)
        : new ServerConnector(server, tls(sslContextFactory, finger), finger);
    if (sslContextFactory != null) {
      handshakes = new TlsHandshakeMonitor(settings.name, handshakeTimeout, connector.getScheduler());
      connector.addBean(handshakes);
    } else {
      handshakes = null;
    }
    connector.setName(settings.name);
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(stalledClientTimeout.toMillis());
    refusals = limits.applyTo(connector, sslContextFactory == null
        ? ConnectionLimits.REFUSAL.getBytes(StandardCharsets.UTF_8) : null, settings.name);
    server.addConnector(connector);
  }

  /**
   * Jetty's TLS layer with the records in direct buffers: the SSL engine (Conscrypt's BoringSSL above
   * all) then reads and writes them in place, where heap buffers cost a copy into native memory and
   * another into the socket's temporary direct buffer; several records written with one call ({@link
   * BulkSslConnection}; docs/benchmarks.md, issue 16).
   */
  private static SslConnectionFactory tls(SslContextFactory.Server sslContextFactory,
      FingerServerConnectionFactory next) {
    return new SslConnectionFactory(sslContextFactory, next.getProtocol()) {
      @Override
      protected SslConnection newSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine) {
        return new BulkSslConnection(connector.getByteBufferPool(), connector.getExecutor(), sslContextFactory,
            endPoint, engine);
      }
    };
  }

  /** Binds the port and starts accepting. */
  public void start() throws Exception {
    server.start();
  }

  public boolean started() {
    return server.isStarted();
  }

  /** Whether connections are wrapped in TLS. */
  public boolean tls() {
    return handshakes != null;
  }

  /** The bound port; -1 before {@link #start()}. */
  public int port() {
    return connector.getLocalPort();
  }

  /** Connections currently open (reading their request, streaming or closing). */
  public int openConnections() {
    return settings.connections.size();
  }

  /** Connections refused by the connection limits since start. */
  public long refusedConnections() {
    return refusals.getAsLong();
  }

  /** TLS handshakes refused or timed out since start (0 on a plain port). */
  public long tlsHandshakeFailures() {
    return handshakes == null ? 0 : handshakes.failures();
  }

  /** Stops accepting, closes every open connection and stops the threads. Never throws. */
  public void stop() {
    try {
      connector.setAccepting(false);
    } catch (RuntimeException e) {
      LOG.debug("Cannot stop accepting on {}", settings.name, e);
    }
    for (FingerServerConnection c : new ArrayList<>(settings.connections)) {
      c.shutdown();
    }
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("Stopping finger server {} failed", settings.name, e);
    }
  }
}
