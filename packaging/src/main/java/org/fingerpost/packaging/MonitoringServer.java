package org.fingerpost.packaging;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.fingerpost.registry.ComponentState;
import org.fingerpost.webapp.MonitoringAnswers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon's monitoring listener (docs/design.md 4) on {@code prometheus_port}, answering exactly as Zuul's
 * {@code zuul/lib/monitoring.py} does: {@code /health/live}, {@code /health/ready}, {@code
 * /health/status}, {@code /metrics} and {@code /}, anything else {@code 404}; the answers are {@link
 * MonitoringAnswers}', which the web port serves too. Like Zuul's, the answer depends on the path only,
 * whatever the method.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} at shutdown. Thread-safe; answers on Jetty's
 * threads without blocking (the state supplier must not block; rendering the metrics is CPU work).
 */
public final class MonitoringServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MonitoringServer.class);

  /** The deprecated {@code monitoring_port} value that turns the listener off. */
  public static final int DISABLED = -1;
  /** Zuul's default {@code prometheus_addr}: every IPv4 address. */
  public static final String DEFAULT_ADDRESS = "0.0.0.0";
  /** Threads of the monitoring server; scrapes and probes are few and quick. */
  public static final int MAX_THREADS = 8;
  /** Prometheus text exposition format (what Zuul's {@code prometheus_client} sends). */
  public static final String METRICS_CONTENT_TYPE = MonitoringAnswers.METRICS_CONTENT_TYPE;
  /** The content type of {@code /health/status}, as Zuul sends it. */
  public static final String STATUS_CONTENT_TYPE = MonitoringAnswers.STATUS_CONTENT_TYPE;

  private final String host;
  private final int port;
  private final PrometheusMeterRegistry metrics;
  private final Supplier<ComponentState> state;
  private Server server;
  private ServerConnector connector;

  /**
   * @param host address to bind
   * @param port port to bind; 0 picks a free one
   * @param metrics rendered at {@code /metrics} and {@code /}
   * @param state the component's state, read on every {@code /health/ready} and {@code
   *     /health/status}; must not block
   */
  public MonitoringServer(String host, int port, PrometheusMeterRegistry metrics, Supplier<ComponentState> state) {
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.state = Objects.requireNonNull(state, "state");
  }

  /** Binds and starts serving; logs the bound address and port. */
  public void start() throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 1);
    threads.setName("monitoring");
    server = new Server(threads);
    connector = new ServerConnector(server, 1, 1);
    // No version in the Server header (docs/operations.md "Hardening").
    connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration().setSendServerVersion(false);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new Endpoints());
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      throw e;
    }
    LOG.info("Monitoring on http://{}:{}/ (/health/live, /health/ready, /health/status, /metrics)",
        host, port());
  }

  /** The bound port. */
  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  private final class Endpoints extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      MonitoringAnswers.Answer a = MonitoringAnswers.answer(Request.getPathInContext(request), state, metrics::scrape);
      response.setStatus(a.status());
      if (a.contentType() != null) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, a.contentType());
      }
      response.write(true, a.body().isEmpty() ? BufferUtil.EMPTY_BUFFER
          : ByteBuffer.wrap(a.body().getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }
  }
}
