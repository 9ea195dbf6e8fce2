package org.fingerpost.webapp;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A real websocket client (Jetty's) for the console stream: collects the text, records the close,
 * and can stop reading from the network (no demand) to play a client that cannot keep up.
 */
public final class WsClient implements Session.Listener {
  /** Generous: the test client must never be the one that refuses a message. */
  static final long MAX_MESSAGE_BYTES = 16L * 1024 * 1024;

  final StringBuffer text = new StringBuffer();
  final CompletableFuture<Close> closed = new CompletableFuture<>();
  private volatile Session session;
  private volatile boolean reading = true;
  volatile int messages;

  record Close(int code, String reason) {}

  static WebSocketClient newClient() throws Exception {
    WebSocketClient client = new WebSocketClient();
    client.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
    client.setIdleTimeout(java.time.Duration.ofMinutes(2));
    client.start();
    return client;
  }

  static WsClient connect(WebSocketClient client, URI uri) throws Exception {
    WsClient ws = new WsClient();
    client.connect(ws, uri).get(10, TimeUnit.SECONDS);
    return ws;
  }

  /** Connects with an {@code Authorization} header on the upgrade request. */
  static WsClient connect(WebSocketClient client, URI uri, String authorization) throws Exception {
    WsClient ws = new WsClient();
    org.eclipse.jetty.websocket.client.ClientUpgradeRequest upgrade =
        new org.eclipse.jetty.websocket.client.ClientUpgradeRequest();
    upgrade.setHeader("Authorization", authorization);
    client.connect(ws, uri, upgrade).get(10, TimeUnit.SECONDS);
    return ws;
  }

  /** Connects and sends the usual first message for {@code uuid}. */
  static WsClient open(WebSocketClient client, URI uri, String uuid) throws Exception {
    WsClient ws = connect(client, uri);
    ws.send("{\"uuid\": \"" + uuid + "\", \"logfile\": \"console.log\"}");
    return ws;
  }

  void send(String message) throws Exception {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    session.sendText(message, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
    sent.get(10, TimeUnit.SECONDS);
  }

  /** Sends without waiting: the server may close before it has read everything. */
  void sendAndForget(String message) {
    session.sendText(message, Callback.NOOP);
  }

  Close awaitClose() throws Exception {
    return closed.get(30, TimeUnit.SECONDS);
  }

  /** Stops reading from the socket: the server's writes back up in TCP buffers. */
  void pause() {
    reading = false;
  }

  void resume() {
    reading = true;
    session.demand();
  }

  void close() {
    Session s = session;
    if (s != null && s.isOpen()) {
      s.close();
    }
  }

  @Override
  public void onWebSocketOpen(Session session) {
    this.session = session;
    session.demand();
  }

  @Override
  public void onWebSocketText(String message) {
    text.append(message);
    messages++;
    if (reading) {
      session.demand();
    }
  }

  @Override
  public void onWebSocketPing(java.nio.ByteBuffer payload) {
    session.sendPong(payload, Callback.NOOP);
    if (reading) {
      session.demand();
    }
  }

  @Override
  public void onWebSocketClose(int code, String reason) {
    closed.complete(new Close(code, reason));
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    closed.complete(new Close(-1, String.valueOf(cause)));
  }
}
