package org.fingerpost.webapp;

import org.fingerpost.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Websockets through a route to a real backend: frames, close codes, ping/pong, large messages, backpressure. */
class WebSocketRouteTest {
  @TempDir
  Path jobDir;
  RouteBackend backend;
  WebCluster web;
  WebSocketClient client;

  @BeforeEach
  void start() throws Exception {
    backend = new RouteBackend();
    web = new WebCluster(jobDir, b -> b.routes(Map.of("/b/", backend.uri())));
    client = new WebSocketClient();
    client.setMaxTextMessageSize(64L * 1024 * 1024);
    client.setMaxBinaryMessageSize(64L * 1024 * 1024);
    client.start();
  }

  @AfterEach
  void stop() throws Exception {
    client.stop();
    web.close();
    backend.close();
  }

  /** Collects what a websocket receives; reading can be paused (no demand). */
  public static final class Peer implements Session.Listener {
    final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    volatile Session session;
    volatile boolean reading = true;

    @Override
    public void onWebSocketOpen(Session s) {
      session = s;
      s.demand();
    }

    @Override
    public void onWebSocketText(String message) {
      received.add(message);
      next();
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
      ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
      callback.succeed();
      received.add(copy);
      next();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
      received.add("PONG " + StandardCharsets.UTF_8.decode(payload));
      next();
    }

    private void next() {
      if (reading) {
        session.demand();
      }
    }

    @Override
    public void onWebSocketClose(int code, String reason, Callback callback) {
      closed.complete(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
      callback.succeed();
    }

    Object next(int seconds) throws InterruptedException {
      Object o = received.poll(seconds, TimeUnit.SECONDS);
      if (o == null) {
        throw new AssertionError("nothing received within " + seconds + " s");
      }
      return o;
    }

    void send(String text) throws Exception {
      CompletableFuture<Void> f = new CompletableFuture<>();
      session.sendText(text, Callback.from(() -> f.complete(null), f::completeExceptionally));
      f.get(20, TimeUnit.SECONDS);
    }
  }

  private Peer connect(String path) throws Exception {
    Peer peer = new Peer();
    ClientUpgradeRequest up = new ClientUpgradeRequest();
    up.setSubProtocols("chat");
    up.setHeader("Authorization", "Bearer ws-token");
    up.setHeader("Cookie", "c=1");
    up.setHeader("X-Forwarded-For", "10.9.9.9");
    Session s = client.connect(peer, URI.create("ws://127.0.0.1:" + web.web.port() + path), up).get(20, TimeUnit.SECONDS);
    assertEquals("chat", s.getUpgradeResponse().getAcceptedSubProtocol());
    assertEquals(List.of("ws=1"), s.getUpgradeResponse().getHeaders("Set-Cookie"));
    return peer;
  }

  @Test
  void framesBothWaysWithHandshakeHeadersAndLargeMessages() throws Exception {
    Peer peer = connect("/b/ws/echo");
    peer.send("hello");
    assertEquals("hello", peer.next(20));
    peer.send("headers");
    String headers = (String) peer.next(20);
    assertTrue(headers.contains("authorization: Bearer ws-token"), headers);
    assertTrue(headers.contains("cookie: c=1"), headers);
    assertTrue(headers.contains("x-forwarded-for: 127.0.0.1\n"), headers);
    String large = "\u00e9".repeat(3 * 1024 * 1024); // 6 MiB of UTF-8, many frames on the way
    peer.send(large);
    assertEquals(large, peer.next(60));
    byte[] bytes = new byte[5 * 1024 * 1024];
    new java.util.Random(1).nextBytes(bytes);
    CompletableFuture<Void> sent = new CompletableFuture<>();
    peer.session.sendBinary(ByteBuffer.wrap(bytes), Callback.from(() -> sent.complete(null), sent::completeExceptionally));
    sent.get(30, TimeUnit.SECONDS);
    assertEquals(ByteBuffer.wrap(bytes), peer.next(60));
  }

  @Test
  void closeCodesAndReasonsPassBothWays() throws Exception {
    Peer peer = connect("/b/ws/echo");
    peer.send("close:4123:backend says bye");
    CloseReason fromBackend = peer.closed.get(20, TimeUnit.SECONDS);
    assertEquals(4123, fromBackend.getCloseCode().getCode());
    assertEquals("backend says bye", fromBackend.getReasonPhrase());

    Peer other = connect("/b/ws/echo");
    other.session.close(4321, "client says bye", Callback.NOOP);
    CloseReason atBackend;
    do {
      atBackend = backend.closeSeen.poll(20, TimeUnit.SECONDS);
    } while (atBackend != null && atBackend.getCloseCode().getCode() == 4123); // the first websocket's
    assertTrue(atBackend != null, "the backend saw no close");
    assertEquals(4321, atBackend.getCloseCode().getCode());
    assertEquals("client says bye", atBackend.getReasonPhrase());
  }

  @Test
  void pingsAndPongs() throws Exception {
    Peer peer = connect("/b/ws/echo");
    // The backend's ping reaches the client, whose pong goes back to the backend.
    peer.send("ping:from-backend");
    assertEquals("pong:from-backend", peer.next(20));
    // The client's ping is answered (by the container on the client's hop).
    peer.session.sendPing(ByteBuffer.wrap("from-client".getBytes(StandardCharsets.UTF_8)), Callback.NOOP);
    assertEquals("PONG from-client", peer.next(20));
  }

  @Test
  void aBackendsRefusalReachesTheClientWithItsStatus() {
    ExecutionException e = assertThrows(ExecutionException.class, () -> client.connect(new Peer(),
        URI.create("ws://127.0.0.1:" + web.web.port() + "/b/ws/missing")).get(20, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof UpgradeException, String.valueOf(e.getCause()));
    assertEquals(404, ((UpgradeException) e.getCause()).getResponseStatusCode());
  }

  @Test
  void aBackendThatStopsReadingStopsTheClientsSends() throws Exception {
    Peer peer = connect("/b/ws/stall");
    byte[] chunk = new byte[256 * 1024];
    long total = 512L * 1024 * 1024; // far beyond every socket buffer on the way
    CompletableFuture<Void> pending = null;
    long sent = 0;
    while (sent < total) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      peer.session.sendBinary(ByteBuffer.wrap(chunk), Callback.from(() -> f.complete(null), f::completeExceptionally));
      try {
        f.get(3, TimeUnit.SECONDS);
      } catch (TimeoutException stuck) {
        pending = f;
        break;
      }
      sent += chunk.length;
    }
    assertTrue(pending != null && sent < total, "the client could send everything: nothing held it back");
    assertEquals(chunk.length, backend.uploaded.get(), "the backend read one message and stalls on it");
    backend.release.countDown();
    pending.get(30, TimeUnit.SECONDS);
    long afterRelease = sent + chunk.length;
    Await.until("the backend gets what was held back", () -> backend.uploaded.get() >= afterRelease);
  }

  @Test
  void aClientThatStopsReadingStopsTheBackend() throws Exception {
    Peer peer = connect("/b/ws/echo");
    peer.reading = false;
    byte[] chunk = new byte[256 * 1024];
    // The echo backend sends back what it reads: with the client not reading, the backend's
    // sends, then its reads, then the client's sends stop.
    long sent = 0;
    CompletableFuture<Void> pending = null;
    for (long total = 512L * 1024 * 1024; sent < total; sent += chunk.length) {
      CompletableFuture<Void> f = new CompletableFuture<>();
      peer.session.sendBinary(ByteBuffer.wrap(chunk), Callback.from(() -> f.complete(null), f::completeExceptionally));
      try {
        f.get(3, TimeUnit.SECONDS);
      } catch (TimeoutException stuck) {
        pending = f;
        break;
      }
    }
    assertTrue(pending != null, "the client could send 512 MiB though it read nothing back");
    peer.reading = true;
    peer.session.demand();
    pending.get(30, TimeUnit.SECONDS);
    long expected = sent + chunk.length;
    Await.until("every echo arrives once the client reads", Await.DEFAULT.multipliedBy(3),
        () -> peer.received.size() * (long) chunk.length >= expected);
  }
}
