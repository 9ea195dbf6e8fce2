package org.fingerpost.webapp.internal;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import org.fingerpost.webapp.WebServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console-stream websocket ({@link ConsoleSession}) on the Jakarta WebSocket API, for a WAR in any
 * servlet container (the embedded server uses Jetty's core websocket instead: {@link
 * ConsoleUpgrade}). One instance per websocket; the container calls it serially.
 */
public final class ConsoleStreamEndpoint extends Endpoint implements ConsoleSocket {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleStreamEndpoint.class);

  /** Where the console-stream websocket is, in the web tier's context. */
  public static final String PATH = ConsoleSession.PATH;
  /** Where the containers (Jetty, Tomcat) put the client's address among the user properties. */
  static final String REMOTE_ADDRESS_PROPERTY = "jakarta.websocket.endpoint.remoteAddress";
  /** Where the upgrade's bearer token waits for {@link #onOpen}. */
  static final String BEARER_PROPERTY = "org.fingerpost.webapp.bearer";

  private final WebServices services;
  private final ConsoleFanout fanout;
  private Session session;
  private ConsoleSession console;

  ConsoleStreamEndpoint(WebServices services, ConsoleFanout fanout) {
    this.services = services;
    this.fanout = fanout;
  }

  /** The endpoint's configuration, to add to the container's {@code ServerContainer}. */
  public static ServerEndpointConfig config(WebServices services) {
    ConsoleFanout fanout = ConsoleFanout.of(services); // one per node: shared decoding, send budget
    return ServerEndpointConfig.Builder.create(ConsoleStreamEndpoint.class, PATH)
        .configurator(new ServerEndpointConfig.Configurator() {
          @Override
          public <T> T getEndpointInstance(Class<T> endpointClass) {
            return endpointClass.cast(new ConsoleStreamEndpoint(services, fanout));
          }

          @Override
          public boolean checkOrigin(String origin) {
            return ConsoleSession.originAllowed(services, origin, RequestHost.current());
          }

          @Override
          public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
            // The containers (Jetty, Tomcat) hand each upgrade its own copy of the config's properties.
            String token = ConsoleSession.bearer(request.getHeaders().get("Authorization"));
            if (token != null) {
              sec.getUserProperties().put(BEARER_PROPERTY, token);
            }
          }

          @Override
          public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
            // permessage-deflate is what browsers ask for; web.websocket_compression decides.
            return services.settings().websocketCompression()
                ? super.getNegotiatedExtensions(installed, requested) : List.of();
          }
        })
        .build();
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    this.session = session;
    Object bearer = config.getUserProperties().remove(BEARER_PROPERTY);
    Object remote = config.getUserProperties().get(REMOTE_ADDRESS_PROPERTY);
    console = new ConsoleSession(services, fanout, this, session.getPathParameters().get("tenant"),
        ConsoleSession.clientAddress(remote instanceof SocketAddress a ? a : null), bearer instanceof String t ? t : null);
    session.setMaxIdleTimeout(console.opened().toMillis());
    session.addMessageHandler(String.class, (MessageHandler.Partial<String>) console::onText);
  }

  @Override
  public void onClose(Session session, CloseReason reason) {
    console.closed();
  }

  @Override
  public void onError(Session session, Throwable error) {
    LOG.debug("Websocket error: {}", error.toString());
    if (console != null) {
      console.gone();
    }
  }

  @Override
  public void sendText(TextQueue.Message message, Consumer<Throwable> done) {
    try {
      session.getAsyncRemote().sendText(message.text(), result -> done.accept(result.isOK() ? null
          : result.getException() != null ? result.getException() : new IOException("send failed")));
    } catch (RuntimeException e) {
      done.accept(e);
    }
  }

  @Override
  public void sendPing() {
    try {
      session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
    } catch (IOException | RuntimeException e) {
      LOG.debug("Ping failed: {}", e.toString());
    }
  }

  @Override
  public void close(CloseReason reason) {
    try {
      session.close(reason);
    } catch (IOException | RuntimeException e) {
      LOG.debug("Closing websocket failed: {}", e.toString());
    }
  }
}
