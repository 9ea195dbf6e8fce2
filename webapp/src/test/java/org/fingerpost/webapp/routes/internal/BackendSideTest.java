package org.fingerpost.webapp.routes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.fingerpost.webapp.routes.RouteTable;
import org.junit.jupiter.api.Test;

/**
 * What {@link BackendSide} does with each side when a send to the client succeeds or fails. The two
 * sessions are stubs recording what is asked of them: a send the container refuses while the client
 * is still open cannot be provoked through a real container on demand (end-to-end cases are in
 * {@code WebSocketRouteTest}).
 */
class BackendSideTest {
  private final BackendSessionStub backend = new BackendSessionStub();
  private final ClientSessionStub client = new ClientSessionStub();
  private final BackendSide side = new BackendSide(new RouteMetrics(new SimpleMeterRegistry(), false)
      .start(new RouteTable.Route("/ws/", URI.create("http://127.0.0.1:1/")), "GET", "/ws/x", "127.0.0.1", true), 5_000);

  BackendSideTest() {
    side.onWebSocketOpen(backend.session);
    new ClientSide(side, 60_000).onOpen(client.session, null);
  }

  @Test
  void aMessageSentToTheClientLetsTheNextFrameBeRead() {
    assertEquals(1, backend.demands.get(), "reading starts once the client is there");
    side.onWebSocketPartialText("whole", true);
    side.onWebSocketPartialText("first part", false);
    side.onWebSocketPartialText("last part", true);
    assertEquals(List.of("async whole", "basic first part false", "basic last part true"), client.sent);
    assertEquals(4, backend.demands.get());
    assertEquals(List.of(), backend.closes);
    assertEquals(List.of(), client.closes);
  }

  @Test
  void aFailedSendToTheClientClosesBothSides() {
    client.asyncFailure = new IOException("broken pipe");
    side.onWebSocketPartialText("whole", true);
    assertEquals(List.of("1001 Client connection lost"), backend.closes);
    assertEquals(List.of("1011 Sending to the client failed"), client.closes);
    assertEquals(1, backend.demands.get(), "nothing more is read from the backend");
  }

  @Test
  void aPartSendTheContainerRefusesClosesBothSides() {
    client.basicFailure = new IllegalStateException("The remote endpoint was in state [TEXT_FULL_WRITING]");
    side.onWebSocketPartialText("first part", false);
    assertEquals(List.of("1001 Client connection lost"), backend.closes);
    assertEquals(List.of("1011 Sending to the client failed"), client.closes);
  }

  @Test
  void theClientsCloseReachesTheBackendOnce() {
    side.clientClosed(4100, "done");
    side.clientClosed(1006, null);
    assertEquals(List.of("4100 done"), backend.closes);
  }

  /** Jetty's websocket client session towards the backend: records demand and closes. */
  private static final class BackendSessionStub {
    final AtomicInteger demands = new AtomicInteger();
    final List<String> closes = new CopyOnWriteArrayList<>();
    final Session session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(),
        new Class<?>[] {Session.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "demand" -> demands.incrementAndGet();
            case "close" -> {
              if (args != null && args.length == 3) {
                closes.add(args[0] + " " + args[1]);
                ((Callback) args[2]).succeed();
              }
            }
            case "isOpen" -> {
              return closes.isEmpty();
            }
            default -> { }
          }
          return null;
        });
  }

  /** The container's Jakarta session towards the client: records sends and closes, fails sends on request. */
  private static final class ClientSessionStub {
    final List<String> sent = new CopyOnWriteArrayList<>();
    final List<String> closes = new CopyOnWriteArrayList<>();
    volatile Throwable asyncFailure;
    volatile RuntimeException basicFailure;

    final RemoteEndpoint.Async async = (RemoteEndpoint.Async) Proxy.newProxyInstance(
        RemoteEndpoint.Async.class.getClassLoader(), new Class<?>[] {RemoteEndpoint.Async.class},
        (proxy, method, args) -> {
          if (method.getName().equals("sendText") && args.length == 2) {
            sent.add("async " + args[0]);
            Throwable failure = asyncFailure;
            ((SendHandler) args[1]).onResult(failure == null ? new SendResult() : new SendResult(failure));
          }
          return null;
        });

    final RemoteEndpoint.Basic basic = (RemoteEndpoint.Basic) Proxy.newProxyInstance(
        RemoteEndpoint.Basic.class.getClassLoader(), new Class<?>[] {RemoteEndpoint.Basic.class},
        (proxy, method, args) -> {
          if (method.getName().equals("sendText") && args.length == 2) {
            RuntimeException failure = basicFailure;
            if (failure != null) {
              throw failure;
            }
            sent.add("basic " + args[0] + " " + args[1]);
          }
          return null;
        });

    final jakarta.websocket.Session session = (jakarta.websocket.Session) Proxy.newProxyInstance(
        jakarta.websocket.Session.class.getClassLoader(), new Class<?>[] {jakarta.websocket.Session.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getAsyncRemote" -> async;
          case "getBasicRemote" -> basic;
          case "isOpen" -> closes.isEmpty();
          case "close" -> {
            if (args != null && args.length == 1) {
              CloseReason r = (CloseReason) args[0];
              closes.add(r.getCloseCode().getCode() + " " + r.getReasonPhrase());
            }
            yield null;
          }
          default -> null;
        });
  }
}
