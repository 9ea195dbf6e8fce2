package org.fingerpost.webapp.routes.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.fingerpost.webapp.routes.ProxySettings;
import org.fingerpost.webapp.routes.RouteTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proxies a websocket upgrade to a route: first the backend's handshake (Jetty's websocket client,
 * with the client's end-to-end headers, subprotocols and the forwarding headers), so that a backend
 * that refuses answers the client with its own status; then the client's upgrade through the
 * container's Jakarta WebSocket 2.1 {@code ServerContainer.upgradeHttpToWebSocket} (portable: Jetty
 * 12 and Tomcat 10.1), with the subprotocol the backend chose and its {@code Set-Cookie}s. The
 * request thread waits for the backend's handshake, at most {@link RouteProxyServlet#CONNECT_TIMEOUT_MS}
 * twice. Thread-safe.
 */
final class WebSocketRoute {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketRoute.class);
  /** Request headers never copied to the backend's handshake: hop-by-hop, or the handshake's own. */
  private static final List<String> NOT_COPIED = List.of("host", "connection", "upgrade", "keep-alive", "te",
      "trailer", "transfer-encoding", "proxy-connection", "proxy-authorization", "content-length",
      "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol",
      "sec-websocket-accept");

  private final WebSocketClient client;
  private final ServerContainer container;
  private final ProxySettings settings;
  private final ForwardedHeaders forwarded;
  private final RouteMetrics metrics;

  WebSocketRoute(WebSocketClient client, ServerContainer container, ProxySettings settings, RouteMetrics metrics) {
    this.client = client;
    this.container = container;
    this.settings = settings;
    this.forwarded = new ForwardedHeaders(TrustedProxies.parse(settings.trustedProxies()));
    this.metrics = metrics;
  }

  /** Whether {@code request} asks for a websocket (RFC 6455 4.1). */
  static boolean isUpgrade(HttpServletRequest request) {
    return isUpgrade(request.getMethod(), request.getHeader("Upgrade"));
  }

  /** Whether a request with {@code method} and {@code Upgrade} header {@code upgrade} (or null) asks for a websocket. */
  static boolean isUpgrade(String method, String upgrade) {
    return "GET".equals(method) && "websocket".equalsIgnoreCase(upgrade);
  }

  void proxy(HttpServletRequest request, HttpServletResponse response, RouteTable.Route route, URI target)
      throws IOException {
    Exchange exchange = metrics.start(route, "GET", request.getRequestURI(), request.getRemoteAddr(), true);
    BackendSide backend = new BackendSide(exchange, settings.idleTimeout().toMillis());
    Session session;
    try {
      session = client.connect(backend, target, handshake(request)).get(2 * RouteProxyServlet.CONNECT_TIMEOUT_MS,
          TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      refuse(response, exchange, HttpServletResponse.SC_SERVICE_UNAVAILABLE, e);
      return;
    } catch (ExecutionException | TimeoutException e) {
      refuse(response, exchange, status(e), e);
      return;
    }
    exchange.responded();
    ClientSide clientSide = new ClientSide(backend, settings.idleTimeout().toMillis());
    try {
      container.upgradeHttpToWebSocket(request, response, config(clientSide, session), Map.of());
    } catch (DeploymentException | IOException | RuntimeException e) {
      session.close(1011, "Client upgrade failed", org.eclipse.jetty.websocket.api.Callback.NOOP);
      refuse(response, exchange, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, e);
    }
  }

  private ClientUpgradeRequest handshake(HttpServletRequest request) {
    ClientUpgradeRequest up = new ClientUpgradeRequest();
    List<String> connectionOptions = new ArrayList<>();
    for (String v : Collections.list(request.getHeaders("Connection"))) {
      for (String name : v.split(",")) {
        connectionOptions.add(name.trim().toLowerCase(Locale.ROOT));
      }
    }
    for (String name : Collections.list(request.getHeaderNames())) {
      String n = name.toLowerCase(Locale.ROOT);
      if (!NOT_COPIED.contains(n) && !connectionOptions.contains(n) && !ForwardedHeaders.isForwarding(name)) {
        up.setHeader(name, Collections.list(request.getHeaders(name)));
      }
    }
    List<String> protocols = new ArrayList<>();
    for (String v : Collections.list(request.getHeaders("Sec-WebSocket-Protocol"))) {
      for (String p : v.split(",")) {
        if (!p.isBlank()) {
          protocols.add(p.trim());
        }
      }
    }
    if (!protocols.isEmpty()) {
      up.setSubProtocols(protocols);
    }
    for (Map.Entry<String, String> e : forwarded.headers(request)) {
      up.setHeader(e.getKey(), e.getValue());
    }
    if (!settings.via().isEmpty()) {
      up.setHeader("Via", "1.1 " + settings.via());
    }
    return up;
  }

  private static ServerEndpointConfig config(ClientSide endpoint, Session backend) {
    String chosen = backend.getUpgradeResponse().getAcceptedSubProtocol();
    List<String> cookies = backend.getUpgradeResponse().getHeaders("Set-Cookie");
    return ServerEndpointConfig.Builder.create(ClientSide.class, "/")
        .subprotocols(chosen == null ? List.of() : List.of(chosen))
        .configurator(new ServerEndpointConfig.Configurator() {
          @Override
          public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(endpoint);
          }

          @Override
          public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
            return chosen != null && requested.contains(chosen) ? chosen : "";
          }

          @Override
          public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
            return List.of(); // each hop would compress on its own: none, as the backend's hop
          }

          @Override
          public boolean checkOrigin(String origin) {
            return true; // the backend saw the Origin and accepted
          }

          @Override
          public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest req, HandshakeResponse resp) {
            if (cookies != null && !cookies.isEmpty()) {
              resp.getHeaders().put("Set-Cookie", new ArrayList<>(cookies));
            }
          }
        }).build();
  }

  private static int status(Exception e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof UpgradeException u && u.getResponseStatusCode() >= 400) {
      return u.getResponseStatusCode(); // the backend refused: its status
    }
    return cause instanceof TimeoutException ? HttpServletResponse.SC_GATEWAY_TIMEOUT : HttpServletResponse.SC_BAD_GATEWAY;
  }

  private static void refuse(HttpServletResponse response, Exchange exchange, int status, Exception e) throws IOException {
    LOG.debug("Proxied websocket refused with {}: {}", status, e.toString());
    exchange.finish(status, String.valueOf(e).replace('\n', ' '));
    if (!response.isCommitted()) {
      response.sendError(status);
    }
  }
}
