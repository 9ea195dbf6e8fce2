package org.fingerpost.webapp.internal;

import jakarta.websocket.CloseReason;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.fingerpost.webapp.WebServices;

/**
 * The console-stream websocket's upgrade on Jetty's core websocket, for the embedded server: the same
 * checks and choices as the Jakarta endpoint's configurator ({@link ConsoleStreamEndpoint#config}),
 * made on the request itself: the origin (403 when refused), the bearer token, the client's
 * address, and {@code permessage-deflate} only with {@code web.websocket_compression}. Each upgrade
 * gets a {@link CoreConsoleSocket}; a graceful stop of the server closes them 1001 ({@link
 * OpenSockets}). Thread-safe.
 */
public final class ConsoleUpgrade implements WebSocketNegotiator {
  /** The close every open console stream gets when the server stops: the Jakarta container's. */
  static final CloseReason SHUTDOWN = new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "Container being shut down");

  private final WebServices services;
  private final ConsoleFanout fanout;
  private final UriTemplatePathSpec path = new UriTemplatePathSpec(ConsoleSession.PATH);
  private final OpenSockets open = new OpenSockets();

  private ConsoleUpgrade(WebServices services) {
    this.services = services;
    this.fanout = ConsoleFanout.of(services); // one per node: shared decoding, send budget
  }

  /**
   * A handler that upgrades console-stream requests on Jetty's core websocket and passes every other
   * request to the handler it will wrap ({@code setHandler}).
   */
  public static WebSocketUpgradeHandler handler(WebServices services,
      org.eclipse.jetty.websocket.core.WebSocketComponents components) {
    WebSocketUpgradeHandler handler = new WebSocketUpgradeHandler(components);
    ConsoleUpgrade upgrade = new ConsoleUpgrade(services);
    handler.addMapping(upgrade.path, upgrade);
    handler.addBean(upgrade.open); // the server's graceful stop finds it there
    return handler;
  }

  /**
   * The open console streams of the node, closed with {@link #SHUTDOWN} (1001) when the server stops
   * gracefully, as the Jakarta container closes its sessions; without it a stop would drop them
   * (1006). Thread-safe.
   */
  static final class OpenSockets implements Graceful {
    private final Set<CoreConsoleSocket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean shutdown;

    void add(CoreConsoleSocket socket) {
      sockets.add(socket);
    }

    void remove(CoreConsoleSocket socket) {
      sockets.remove(socket);
    }

    @Override
    public CompletableFuture<Void> shutdown() {
      shutdown = true;
      return Graceful.shutdown(() -> sockets.forEach(s -> s.close(SHUTDOWN)));
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }
  }

  @Override
  public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (!ConsoleSession.originAllowed(services, origin, request.getHeaders().get(HttpHeader.HOST))) {
      Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403);
      return null;
    }
    if (!services.settings().websocketCompression()) {
      response.setExtensions(List.of()); // permessage-deflate is what browsers ask for
    }
    Map<String, String> params = path.getPathParams(Request.getPathInContext(request));
    String client = ConsoleSession.clientAddress(request.getConnectionMetaData().getRemoteSocketAddress());
    String bearer = ConsoleSession.bearer(request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION));
    return new CoreConsoleSocket(services, fanout, params.get("tenant"), client, bearer, open);
  }
}
