package org.fingerpost.webapp.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
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
 * gets a {@link CoreConsoleSocket}. Thread-safe.
 */
public final class ConsoleUpgrade implements WebSocketNegotiator {
  private final WebServices services;
  private final ConsoleFanout fanout;
  private final UriTemplatePathSpec path = new UriTemplatePathSpec(ConsoleSession.PATH);

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
    return handler;
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
    String client = null;
    if (request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a
        && a.getAddress() != null) {
      client = a.getAddress().getHostAddress();
    }
    String bearer = ConsoleSession.bearer(request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION));
    return new CoreConsoleSocket(services, fanout, params.get("tenant"), client, bearer);
  }
}
