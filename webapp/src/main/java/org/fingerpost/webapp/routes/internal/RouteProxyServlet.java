package org.fingerpost.webapp.routes.internal;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.ee10.proxy.AsyncProxyServlet;
import org.eclipse.jetty.util.Callback;
import org.fingerpost.webapp.routes.ProxySettings;
import org.fingerpost.webapp.routes.RouteTable;

/**
 * The HTTP side of the routes: Jetty's {@link AsyncProxyServlet} (non-blocking both ways), configured
 * for streaming — no total timeout, the idle timeout of {@code proxy_idle_timeout}, each response
 * chunk flushed as it arrives ({@link FlushingWriter}), request bodies streamed and cut at {@code
 * proxy_max_body_bytes} (413) — with the forwarding headers of {@link ForwardedHeaders}, a {@code Via}
 * pseudonym instead of the host name, and hop-by-hop headers removed both ways (RFC 9110 7.6.1,
 * including those a response's {@code Connection} names). Each exchange is measured ({@link Exchange}).
 * The {@link RouteDispatch} filter chooses the route and calls {@link #service} with it as attribute
 * {@link #ROUTE}. Thread-safe.
 */
public final class RouteProxyServlet extends AsyncProxyServlet {
  private static final long serialVersionUID = 1L;
  /** Request attribute: the {@link RouteTable.Route} chosen for the request. */
  static final String ROUTE = RouteProxyServlet.class.getName() + ".route";
  private static final String EXCHANGE = RouteProxyServlet.class.getName() + ".exchange";
  private static final String WRITER = RouteProxyServlet.class.getName() + ".writer";
  private static final String CONNECTION_OPTIONS = RouteProxyServlet.class.getName() + ".connectionOptions";
  /** Milliseconds to open a connection to a backend before the client gets 502. */
  public static final long CONNECT_TIMEOUT_MS = 15_000;
  /** Connections kept per backend (Jetty's default). */
  public static final int MAX_CONNECTIONS_PER_BACKEND = 256;
  /** Threads of the proxy's HTTP client (callbacks only; nothing blocks on them). */
  public static final int CLIENT_THREADS = 64;

  private final transient ProxySettings settings;
  private final transient ForwardedHeaders forwarded;
  private final transient RouteMetrics metrics;

  RouteProxyServlet(ProxySettings settings, RouteMetrics metrics) {
    this.settings = settings;
    this.forwarded = new ForwardedHeaders(TrustedProxies.parse(settings.trustedProxies()));
    this.metrics = metrics;
  }

  /** The init parameters Jetty's proxy reads ({@code AbstractProxyServlet.createHttpClient}). */
  static Map<String, String> initParameters(ProxySettings settings) {
    Map<String, String> p = new java.util.HashMap<>();
    p.put("maxThreads", Integer.toString(CLIENT_THREADS)); // own threads: Tomcat has no Jetty executor to share
    p.put("maxConnections", Integer.toString(MAX_CONNECTIONS_PER_BACKEND));
    p.put("idleTimeout", Long.toString(settings.idleTimeout().toMillis()));
    p.put("timeout", "0"); // no total timeout: a stream may last hours
    if (!settings.via().isEmpty()) {
      p.put("viaHost", settings.via());
    }
    return p;
  }

  @Override
  protected HttpClient newHttpClient() {
    HttpClient client = super.newHttpClient();
    client.setConnectTimeout(CONNECT_TIMEOUT_MS);
    client.setUserAgentField(null); // the client's own User-Agent only
    client.setUseInputDirectByteBuffers(false); // heap chunks reach onResponseContent without a copy
    return client;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
    RouteTable.Route route = (RouteTable.Route) request.getAttribute(ROUTE);
    Exchange exchange = metrics.start(route, request.getMethod(), request.getRequestURI(), request.getRemoteAddr(), false);
    request.setAttribute(EXCHANGE, exchange);
    if (request.getContentLengthLong() > settings.maxBodyBytes()) {
      response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
      response.setHeader("Connection", "close"); // the body is not read
      response.setContentType("application/json");
      response.getOutputStream().write(BodyTooLargeException.json(settings.maxBodyBytes()));
      exchange.finish(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "body too large");
      return;
    }
    super.service(request, response);
  }

  @Override
  protected String rewriteTarget(HttpServletRequest request) {
    RouteTable.Route route = (RouteTable.Route) request.getAttribute(ROUTE);
    // null (the raw path spells the prefix differently) is refused with 400 below
    return Routes.target(route, request.getRequestURI().substring(request.getContextPath().length()),
        request.getQueryString());
  }

  /** The backend URL of {@code request} (whose route is set), or null when its raw path spells the prefix otherwise. */
  String target(HttpServletRequest request) {
    return rewriteTarget(request);
  }

  @Override
  protected void onProxyRewriteFailed(HttpServletRequest request, HttpServletResponse response) {
    Exchange exchange = exchange(request);
    sendProxyResponseError(request, response, HttpServletResponse.SC_BAD_REQUEST);
    exchange.finish(HttpServletResponse.SC_BAD_REQUEST, "path does not start with the route's prefix");
  }

  @Override
  protected void copyRequestHeaders(HttpServletRequest client, Request proxyRequest) {
    super.copyRequestHeaders(client, proxyRequest);
    proxyRequest.headers(h -> {
      for (String name : h.getFieldNamesCollection().toArray(String[]::new)) {
        if (ForwardedHeaders.isForwarding(name)) {
          h.remove(name);
        }
      }
    });
  }

  @Override
  protected void addProxyHeaders(HttpServletRequest client, Request proxyRequest) {
    if (!settings.via().isEmpty()) {
      addViaHeader(client, proxyRequest);
    }
    forwarded.addTo(client, proxyRequest);
  }

  @Override
  protected void onServerResponseHeaders(HttpServletRequest client, HttpServletResponse response, Response server) {
    exchange(client).responded();
    super.onServerResponseHeaders(client, response, server);
  }

  @Override
  protected String filterServerResponseHeader(HttpServletRequest client, Response server, String name, String value) {
    // RFC 9110 7.6.1: the headers a response's Connection names are hop-by-hop too.
    @SuppressWarnings("unchecked")
    Set<String> options = (Set<String>) client.getAttribute(CONNECTION_OPTIONS);
    if (options == null) { // once per response, not once per header
      options = RouteProxyHandler.connectionOptions(server.getHeaders());
      client.setAttribute(CONNECTION_OPTIONS, options);
    }
    return options.contains(name.toLowerCase(Locale.ROOT)) ? null : value;
  }

  @Override
  protected ReadListenerWithLimit newReadListener(HttpServletRequest request, HttpServletResponse response,
      Request proxyRequest, AsyncRequestContent content) {
    return new ReadListenerWithLimit(request, response, proxyRequest, content);
  }

  @Override
  protected void onResponseContent(HttpServletRequest request, HttpServletResponse response, Response proxyResponse,
      byte[] buffer, int offset, int length, Callback callback) {
    try {
      exchange(request).sent(length);
      FlushingWriter writer = (FlushingWriter) request.getAttribute(WRITER);
      if (writer == null) {
        writer = new FlushingWriter(request, proxyResponse);
        request.setAttribute(WRITER, writer);
        writer.data(buffer, offset, length, callback); // before setWriteListener, which may call it at once
        response.getOutputStream().setWriteListener(writer);
      } else {
        writer.data(buffer, offset, length, callback);
        writer.onWritePossible();
      }
    } catch (Throwable x) {
      callback.failed(x);
      proxyResponse.abort(x);
    }
  }

  @Override
  protected int clientRequestStatus(Throwable failure) {
    return failure instanceof BodyTooLargeException ? HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE
        : super.clientRequestStatus(failure);
  }

  @Override
  protected void onProxyResponseSuccess(HttpServletRequest client, HttpServletResponse response, Response server) {
    // Read before completing: the container may recycle request and response after.
    Exchange exchange = exchange(client);
    int status = response.getStatus();
    super.onProxyResponseSuccess(client, response, server);
    exchange.finish(status, null);
  }

  @Override
  protected void onProxyResponseFailure(HttpServletRequest client, HttpServletResponse response, Response server,
      Throwable failure) {
    Exchange exchange = exchange(client);
    int status = response.getStatus();
    if (!response.isCommitted() && status < HttpServletResponse.SC_BAD_REQUEST) {
      status = proxyResponseStatus(failure); // what the proxy answers instead
    }
    super.onProxyResponseFailure(client, response, server, failure);
    exchange.finish(status, String.valueOf(failure).replace('\n', ' '));
  }

  private static Exchange exchange(HttpServletRequest request) {
    return (Exchange) request.getAttribute(EXCHANGE);
  }

  /** Jetty's non-blocking body reader, counting the bytes and stopping at {@code proxy_max_body_bytes}. */
  final class ReadListenerWithLimit extends StreamReader {
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final Request proxyRequest;
    private long total;

    ReadListenerWithLimit(HttpServletRequest request, HttpServletResponse response, Request proxyRequest,
        AsyncRequestContent content) {
      super(request, response, proxyRequest, content);
      this.request = request;
      this.response = response;
      this.proxyRequest = proxyRequest;
    }

    @Override
    protected void onRequestContent(HttpServletRequest req, Request proxyReq, AsyncRequestContent content,
        byte[] buffer, int offset, int length, Callback callback) {
      total += length;
      exchange(request).received(length);
      if (total > settings.maxBodyBytes()) {
        BodyTooLargeException tooLarge = new BodyTooLargeException(settings.maxBodyBytes());
        onClientRequestFailure(request, proxyRequest, response, tooLarge);
        callback.failed(tooLarge); // stops reading
        return;
      }
      super.onRequestContent(req, proxyReq, content, buffer, offset, length, callback);
    }
  }
}
