package org.fingerpost.packaging;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon's monitoring endpoint (DESIGN.md 4), a small Jetty HTTP server:
 * <ul>
 *   <li>{@code GET /health/live}: {@code 200 live} while the process serves HTTP at all;
 *   <li>{@code GET /health/ready}: {@code 200 ready} while the registry is connected, else {@code 503
 *       registry disconnected} (a load balancer then sends new users elsewhere);
 *   <li>{@code GET /metrics}: the Prometheus text format of the daemon's meter registry.
 * </ul>
 * Anything else is {@code 404}; methods other than GET and HEAD {@code 405}.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} at shutdown. Thread-safe; answers on Jetty's
 * threads without blocking (rendering the metrics is CPU work only).
 */
public final class MonitoringServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MonitoringServer.class);

  /** The port value that turns the endpoint off. */
  public static final int DISABLED = -1;
  /** Threads of the monitoring server; scrapes and probes are few and quick. */
  public static final int MAX_THREADS = 8;
  /** Prometheus text exposition format. */
  public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final String host;
  private final int port;
  private final PrometheusMeterRegistry metrics;
  private final BooleanSupplier ready;
  private Server server;
  private ServerConnector connector;

  /**
   * @param host address to bind
   * @param port port to bind; 0 picks a free one
   * @param metrics rendered at {@code /metrics}
   * @param ready what {@code /health/ready} reports (the registry's connection state)
   */
  public MonitoringServer(String host, int port, PrometheusMeterRegistry metrics, BooleanSupplier ready) {
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.ready = Objects.requireNonNull(ready, "ready");
  }

  public void start() throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 1);
    threads.setName("monitoring");
    server = new Server(threads);
    connector = new ServerConnector(server, 1, 1);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new Endpoints());
    server.start();
    LOG.info("Monitoring on http://{}:{}/ (/health/live, /health/ready, /metrics)", host, port());
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
      String method = request.getMethod();
      if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
        reply(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "text/plain; charset=utf-8", "GET only\n");
        return true;
      }
      switch (Request.getPathInContext(request)) {
        case "/health/live":
          reply(response, callback, HttpStatus.OK_200, "text/plain; charset=utf-8", "live\n");
          break;
        case "/health/ready":
          boolean up = ready.getAsBoolean();
          reply(response, callback, up ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503,
              "text/plain; charset=utf-8", up ? "ready\n" : "registry disconnected\n");
          break;
        case "/metrics":
          reply(response, callback, HttpStatus.OK_200, METRICS_CONTENT_TYPE, metrics.scrape());
          break;
        default:
          reply(response, callback, HttpStatus.NOT_FOUND_404, "text/plain; charset=utf-8", "not found\n");
      }
      return true;
    }

    private void reply(Response response, Callback callback, int status, String type, String body) {
      response.setStatus(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
      response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
  }
}
