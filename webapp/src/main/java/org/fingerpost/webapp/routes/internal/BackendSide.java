package org.fingerpost.webapp.routes.internal;

import jakarta.websocket.SendResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's side of a proxied websocket, on Jetty's websocket client with explicit demand: the
 * next frame is read from the backend only once the previous one was sent to the client
 * (backpressure from a slow client to the backend, no buffering). Single-frame messages go to the
 * client without blocking; the parts of a fragmented message (and large ones, which the client
 * splits into frames of 64 KiB) are sent with Jakarta's blocking partial sends, the only partial
 * sends it has. The backend's pings reach the client (whose pong comes back); close codes and
 * reasons pass both ways ({@code 1005} becomes {@code 1000}, a lost connection {@code 1014} / {@code
 * 1001}). Public for Jetty's method lookup; one instance per websocket.
 */
public final class BackendSide implements Session.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(BackendSide.class);
  /** Close code for the client when the backend connection is lost (IANA: Bad Gateway). */
  static final int BAD_GATEWAY = 1014;
  /** Close code for the backend when the client connection is lost. */
  static final int GOING_AWAY = 1001;
  /** Close code for the client when a send to it failed while it may still be open. */
  static final int INTERNAL_ERROR = 1011;

  private final Exchange exchange;
  private final long sendTimeoutMs;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Session session;
  private volatile ClientSide client;
  /** Whether a fragmented text or binary message from the backend is in progress (frames come in order). */
  private boolean fragmented;

  BackendSide(Exchange exchange, long sendTimeoutMs) {
    this.exchange = exchange;
    this.sendTimeoutMs = sendTimeoutMs;
  }

  @Override
  public void onWebSocketOpen(Session s) {
    this.session = s; // no demand yet: nothing is read before the client is there
  }

  /** The client side opened: start reading from the backend. */
  void clientOpened(ClientSide c) {
    this.client = c;
    if (closed.get()) {
      c.close(BAD_GATEWAY, "Backend connection lost");
      return;
    }
    session.demand();
  }

  @Override
  public void onWebSocketPartialText(String payload, boolean last) {
    exchange.sent(utf8Length(payload));
    jakarta.websocket.Session c = client.session();
    if (!fragmented && last) {
      c.getAsyncRemote().sendText(payload, this::sentToClient);
      return;
    }
    fragmented = !last;
    try {
      c.getBasicRemote().sendText(payload, last);
      session.demand();
    } catch (IOException | RuntimeException e) {
      clientLost(e);
    }
  }

  @Override
  public void onWebSocketPartialBinary(ByteBuffer payload, boolean last, Callback callback) {
    exchange.sent(payload.remaining());
    jakarta.websocket.Session c = client.session();
    if (!fragmented && last) {
      c.getAsyncRemote().sendBinary(payload, result -> {
        callback.succeed(); // the payload buffer goes back to Jetty only once sent
        sentToClient(result);
      });
      return;
    }
    fragmented = !last;
    try {
      c.getBasicRemote().sendBinary(payload, last);
      callback.succeed();
      session.demand();
    } catch (IOException | RuntimeException e) {
      callback.fail(e);
      clientLost(e);
    }
  }

  private void sentToClient(SendResult result) {
    if (result.isOK()) {
      session.demand();
    } else {
      clientLost(result.getException());
    }
  }

  @Override
  public void onWebSocketPing(ByteBuffer payload) {
    try {
      client.session().getAsyncRemote().sendPing(payload);
      session.demand();
    } catch (IOException | RuntimeException e) {
      clientLost(e);
    }
  }

  @Override
  public void onWebSocketPong(ByteBuffer payload) {
    try {
      client.session().getAsyncRemote().sendPong(payload);
      session.demand();
    } catch (IOException | RuntimeException e) {
      clientLost(e);
    }
  }

  @Override
  public void onWebSocketClose(int code, String reason, Callback callback) {
    callback.succeed();
    if (closed.compareAndSet(false, true)) {
      int forClient = code == 1005 ? 1000 : code == 1006 || code == 1015 ? BAD_GATEWAY : code;
      ClientSide c = client;
      if (c != null) {
        c.close(forClient, code == 1006 ? "Backend connection lost" : reason);
      }
      exchange.finish(101, null);
    }
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    LOG.debug("Proxied websocket backend error: {}", cause.toString());
  }

  /** Sends a part of a client's text message, waiting until it is written (see {@link ClientSide}). */
  void sendText(String part, boolean last) {
    exchange.received(utf8Length(part));
    CompletableFuture<Void> sent = new CompletableFuture<>();
    session.sendPartialText(part, last, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
    await(sent);
  }

  /** Sends a part of a client's binary message, waiting until it is written. */
  void sendBinary(ByteBuffer part, boolean last) {
    exchange.received(part.remaining());
    CompletableFuture<Void> sent = new CompletableFuture<>();
    session.sendPartialBinary(part, last, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
    await(sent);
  }

  void sendPong(ByteBuffer payload) {
    session.sendPong(payload, Callback.NOOP);
  }

  private void await(CompletableFuture<Void> sent) {
    try {
      sent.get(sendTimeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      backendLost(e);
    } catch (Exception e) {
      backendLost(e);
    }
  }

  /** The client side closed: close the backend with the same code and reason. */
  void clientClosed(int code, String reason) {
    if (closed.compareAndSet(false, true)) {
      int forBackend = code == 1005 ? 1000 : code == 1006 || code == 1015 ? GOING_AWAY : code;
      session.close(forBackend, code == 1006 ? "Client connection lost" : reason, Callback.NOOP);
      exchange.finish(101, null);
    }
  }

  /**
   * Sending to the client failed: the backend is closed as for a lost client, and the client too,
   * which may still be open (a send refused by the container's state, not by the network): neither
   * side is left waiting for the other until its idle timeout.
   */
  private void clientLost(Throwable e) {
    LOG.debug("Proxied websocket: sending to the client failed: {}", String.valueOf(e));
    clientClosed(1006, null);
    ClientSide c = client;
    if (c != null) {
      c.close(INTERNAL_ERROR, "Sending to the client failed");
    }
  }

  private void backendLost(Throwable e) {
    LOG.debug("Proxied websocket: sending to the backend failed: {}", String.valueOf(e));
    if (closed.compareAndSet(false, true)) {
      session.disconnect();
      client.close(BAD_GATEWAY, "Backend not writable");
      exchange.finish(101, String.valueOf(e));
    }
  }

  /** UTF-8 bytes of {@code s} without encoding it. */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < 0x80) {
        n++;
      } else if (ch < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(ch)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

}
