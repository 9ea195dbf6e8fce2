package org.fingerpost.webapp.routes.internal;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's side of a proxied websocket, on the container's Jakarta WebSocket server (Jetty 12
 * or Tomcat 10.1 alike): messages arrive as parts, each sent on to the backend before the next is
 * read ({@link BackendSide#sendText} waits for the send: the only way Jakarta WebSocket lets an
 * endpoint stop reading, so a backend that does not read stops this client too). The client's pings
 * are answered by the container, as Jakarta WebSocket requires; its pongs go to the backend. One
 * instance per websocket; the container calls it serially.
 */
public final class ClientSide extends Endpoint {
  private static final Logger LOG = LoggerFactory.getLogger(ClientSide.class);

  private final BackendSide backend;
  private final long idleTimeoutMs;
  private volatile Session session;

  ClientSide(BackendSide backend, long idleTimeoutMs) {
    this.backend = backend;
    this.idleTimeoutMs = idleTimeoutMs;
  }

  @Override
  public void onOpen(Session s, EndpointConfig config) {
    this.session = s;
    s.setMaxIdleTimeout(idleTimeoutMs);
    s.addMessageHandler(String.class, (MessageHandler.Partial<String>) backend::sendText);
    s.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) backend::sendBinary);
    s.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) p -> backend.sendPong(p.getApplicationData()));
    backend.clientOpened(this);
  }

  @Override
  public void onClose(Session s, CloseReason reason) {
    backend.clientClosed(reason.getCloseCode().getCode(), reason.getReasonPhrase());
  }

  @Override
  public void onError(Session s, Throwable failure) {
    LOG.debug("Proxied websocket client error: {}", failure.toString());
  }

  /** The open session; null before {@link #onOpen}. */
  Session session() {
    return session;
  }

  /** Closes the client with {@code code} (a code that may be sent) and {@code reason}, if still open. */
  void close(int code, String reason) {
    Session s = session;
    if (s == null || !s.isOpen()) {
      return;
    }
    try {
      s.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
    } catch (java.io.IOException | RuntimeException e) {
      LOG.debug("Closing a proxied websocket client failed: {}", e.toString());
    }
  }
}
