package org.fingerpost.webapp.routes.internal;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentSourceRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.fingerpost.webapp.internal.InlineResumeThreadPool;
import org.fingerpost.webapp.routes.ProxySettings;
import org.fingerpost.webapp.routes.RouteTable;

/**
 * The HTTP side of the routes on the embedded server: Jetty's core {@link ProxyHandler}, without the
 * servlet layer (a proxied request costs two thirds of the CPU of {@link RouteProxyServlet}'s, see
 * docs/benchmarks.md), configured and hooked exactly as {@link RouteProxyServlet}, which a WAR uses:
 * no total timeout and the idle timeout of {@code proxy_idle_timeout}; each response chunk written
 * to the client as it arrives; request bodies streamed and cut at {@code proxy_max_body_bytes}
 * (413); the forwarding headers of {@link ForwardedHeaders} instead of the client's; the {@code Via}
 * pseudonym; hop-by-hop headers removed both ways (RFC 9110 7.6.1, with those a {@code Connection}
 * header names); the backend's own {@code Host}; each exchange measured ({@link Exchange}).
 * {@link RouteHandler} calls {@link #proxy} with the chosen route. Thread-safe; a lifecycle bean of
 * its {@link RouteHandler}, which owns it.
 */
final class RouteProxyHandler extends ProxyHandler {
  private static final String EXCHANGE = RouteProxyHandler.class.getName() + ".exchange";
  private static final String TARGET = RouteProxyHandler.class.getName() + ".target";

  private final Routes routes;
  private final ProxySettings settings;
  private final ForwardedHeaders forwarded;

  RouteProxyHandler(Routes routes) {
    this.routes = routes;
    this.settings = routes.settings;
    this.forwarded = new ForwardedHeaders(TrustedProxies.parse(settings.trustedProxies()));
    // Set even when unused: Jetty would otherwise look up this host's name, which no header may carry.
    setViaHost(settings.via().isEmpty() ? ProxySettings.DEFAULT_VIA : settings.via());
  }

  /** Proxies {@code request} to {@code route}'s backend; completes {@code callback} when the exchange ends. */
  void proxy(Request request, Response response, Callback callback, RouteTable.Route route) {
    HttpURI uri = request.getHttpURI();
    Exchange exchange = routes.metrics.start(route, request.getMethod(), uri.getPath(),
        Request.getRemoteAddr(request), false);
    if (request.getLength() > settings.maxBodyBytes()) {
      response.setStatus(HttpStatus.PAYLOAD_TOO_LARGE_413);
      response.getHeaders().put(HttpHeader.CONNECTION, "close"); // the body is not read
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.write(true, ByteBuffer.wrap(BodyTooLargeException.json(settings.maxBodyBytes())), callback);
      exchange.finish(HttpStatus.PAYLOAD_TOO_LARGE_413, "body too large");
      return;
    }
    String target = Routes.target(route, uri.getPath(), uri.getQuery());
    if (target == null) {
      Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400);
      exchange.finish(HttpStatus.BAD_REQUEST_400, "path does not start with the route's prefix");
      return;
    }
    request.setAttribute(EXCHANGE, exchange);
    request.setAttribute(TARGET, target);
    handle(request, response, callback);
  }

  @Override
  protected HttpURI rewriteHttpURI(Request request) {
    return HttpURI.from((String) request.getAttribute(TARGET));
  }

  @Override
  protected HttpClient newHttpClient() {
    HttpClient client = super.newHttpClient();
    QueuedThreadPool threads = new QueuedThreadPool(RouteProxyServlet.CLIENT_THREADS);
    threads.setName("fingerpost-route-client");
    threads.setDaemon(true);
    client.setExecutor(threads);
    return client;
  }

  @Override
  protected void configureHttpClient(HttpClient client) {
    super.configureHttpClient(client); // no redirects followed, no cookie store
    client.setConnectTimeout(RouteProxyServlet.CONNECT_TIMEOUT_MS);
    client.setIdleTimeout(settings.idleTimeout().toMillis());
    client.setMaxConnectionsPerDestination(RouteProxyServlet.MAX_CONNECTIONS_PER_BACKEND);
    client.setUserAgentField(null); // the client's own User-Agent only
    // The relay's listeners never block (writes to the client are asynchronous), so the client's
    // selector runs them without a hand-off to another thread; the access log writes, so not with it.
    client.getTransport().setInvocationType(settings.accessLog() ? InvocationType.BLOCKING : InvocationType.NON_BLOCKING);
  }

  @Override
  protected void copyRequestHeaders(Request client, org.eclipse.jetty.client.Request proxyRequest) {
    super.copyRequestHeaders(client, proxyRequest); // without hop-by-hop headers and what Connection names
    proxyRequest.headers(h -> {
      // One pass: Host is the backend's (the client's is in X-Forwarded-Host and Forwarded); the
      // client's forwarding headers are replaced in addProxyHeaders.
      for (Iterator<HttpField> i = h.iterator(); i.hasNext(); ) {
        HttpField f = i.next();
        if (f.getHeader() == HttpHeader.HOST || ForwardedHeaders.isForwarding(f.getName())) {
          i.remove();
        }
      }
    });
  }

  @Override
  protected void addProxyHeaders(Request client, org.eclipse.jetty.client.Request proxyRequest) {
    if (!settings.via().isEmpty()) {
      addViaHeader(client, proxyRequest);
    }
    forwarded.addTo(client, proxyRequest);
  }

  @Override
  protected org.eclipse.jetty.client.Request.Content newProxyToServerRequestContent(Request client,
      Response response, org.eclipse.jetty.client.Request proxyRequest) {
    return new ContentSourceRequestContent(new LimitedBody(client, exchange(client), settings.maxBodyBytes()),
        client.getHeaders().get(HttpHeader.CONTENT_TYPE));
  }

  @Override
  protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(Request client,
      org.eclipse.jetty.client.Request proxyRequest, Response response, Callback callback) {
    return new MeasuredResponse(client, proxyRequest, response, callback);
  }

  @Override
  protected void onServerToProxyResponseFailure(Request client, org.eclipse.jetty.client.Request proxyRequest,
      org.eclipse.jetty.client.Response server, Response response, Callback callback, Throwable failure) {
    boolean tooLarge = failure instanceof BodyTooLargeException || failure.getCause() instanceof BodyTooLargeException;
    int status = response.isCommitted() ? response.getStatus()
        : tooLarge ? HttpStatus.PAYLOAD_TOO_LARGE_413
        : failure instanceof TimeoutException ? HttpStatus.GATEWAY_TIMEOUT_504 : HttpStatus.BAD_GATEWAY_502;
    exchange(client).finish(status, String.valueOf(failure).replace('\n', ' '));
    if (tooLarge && !response.isCommitted()) {
      response.getHeaders().put(HttpHeader.CONNECTION, "close"); // the rest of the body is not read
      Response.writeError(client, response, callback, status);
    } else {
      super.onServerToProxyResponseFailure(client, proxyRequest, server, response, callback, failure);
    }
  }

  @Override
  protected void onProxyToClientResponseComplete(Request client, org.eclipse.jetty.client.Request proxyRequest,
      org.eclipse.jetty.client.Response server, Response response, Callback callback) {
    exchange(client).finish(response.getStatus(), null);
    // The client's connection may go on to its next request on this thread (the proxy client's selector).
    InlineResumeThreadPool.completeHere(
        () -> super.onProxyToClientResponseComplete(client, proxyRequest, server, response, callback));
  }

  @Override
  protected void onProxyToClientResponseFailure(Request client, org.eclipse.jetty.client.Request proxyRequest,
      org.eclipse.jetty.client.Response server, Response response, Callback callback, Throwable failure) {
    exchange(client).finish(response.getStatus(), String.valueOf(failure).replace('\n', ' '));
    super.onProxyToClientResponseFailure(client, proxyRequest, server, response, callback, failure);
  }

  private static Exchange exchange(Request request) {
    return (Exchange) request.getAttribute(EXCHANGE);
  }

  /** The lower-case names a {@code Connection} header lists (RFC 9110 7.6.1), with {@code proxy-connection}. */
  static Set<String> connectionOptions(HttpFields fields) {
    Set<String> names = new HashSet<>();
    for (HttpField f : fields.getFields(HttpHeader.CONNECTION)) {
      for (String v : f.getValues()) {
        names.add(v.trim().toLowerCase(Locale.ROOT));
      }
    }
    names.add("proxy-connection");
    return names;
  }

  /** Jetty's response relay, measuring the exchange and removing what the response's {@code Connection} names. */
  private final class MeasuredResponse extends ProxyResponseListener {
    private final Response response;
    private final Exchange exchange;

    MeasuredResponse(Request client, org.eclipse.jetty.client.Request proxyRequest, Response response,
        Callback callback) {
      super(client, proxyRequest, response, callback);
      this.response = response;
      this.exchange = exchange(client);
    }

    @Override
    public void onHeaders(org.eclipse.jetty.client.Response server) {
      exchange.responded();
      super.onHeaders(server); // without hop-by-hop headers
      if (server.getHeaders().contains(HttpHeader.CONNECTION)) { // and what it names (RFC 9110 7.6.1)
        HttpFields.Mutable out = response.getHeaders();
        for (String named : connectionOptions(server.getHeaders())) {
          out.remove(named);
        }
      }
    }

    @Override
    public void onContent(org.eclipse.jetty.client.Response server, Content.Chunk chunk, Runnable demander) {
      exchange.sent(chunk.remaining());
      super.onContent(server, chunk, demander);
    }
  }

  /** The client's request body as the backend's, counted, failing with 413 past {@code proxy_max_body_bytes}. */
  private static final class LimitedBody extends Request.Wrapper {
    private final Exchange exchange;
    private final long limit;
    private long total; // read() is never called concurrently (Content.Source contract)

    LimitedBody(Request request, Exchange exchange, long limit) {
      super(request);
      this.exchange = exchange;
      this.limit = limit;
    }

    @Override
    public Content.Chunk read() {
      Content.Chunk chunk = super.read();
      if (chunk == null || Content.Chunk.isFailure(chunk) || !chunk.hasRemaining()) {
        return chunk;
      }
      int n = chunk.remaining();
      total += n;
      exchange.received(n);
      if (total > limit) {
        chunk.release();
        return Content.Chunk.from(new BodyTooLargeException(limit), true); // the rest is never read

      }
      return chunk;
    }
  }
}
