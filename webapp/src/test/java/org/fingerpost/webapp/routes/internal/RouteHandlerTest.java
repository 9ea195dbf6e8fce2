package org.fingerpost.webapp.routes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RawHttp;
import org.fingerpost.webapp.internal.InlineResumeThreadPool;
import org.fingerpost.webapp.internal.TeapotHandler;
import org.fingerpost.webapp.routes.OwnedPaths;
import org.fingerpost.webapp.routes.ProxySettings;
import org.fingerpost.webapp.routes.RouteTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RouteHandler} on a bare Jetty server (no servlet layer): what a route takes reaches the
 * backend and never the next handler; owned paths and websocket upgrades go on to it; bodies past the
 * limit get 413 before and while streaming; the route's meters count each exchange.
 */
class RouteHandlerTest {
  private static final long LIMIT = 1024;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final TeapotHandler next = new TeapotHandler();
  private final InlineResumeThreadPool frontThreads = new InlineResumeThreadPool();
  private Server backend;
  private Server front;

  @BeforeEach
  void start() throws Exception {
    backend = server(null, new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long body = Content.Source.asInputStream(request).readAllBytes().length;
        String text = "backend " + request.getMethod() + " " + request.getHttpURI().getPathQuery() + " body=" + body;
        response.write(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
      }
    });
    OwnedPaths owned = OwnedPaths.defaults(List.of()).build();
    RouteTable table = RouteTable.of(Map.of("/", URI.create("http://127.0.0.1:" + port(backend) + "/")), owned);
    Routes routes = Routes.of(table, owned, ProxySettings.builder().maxBodyBytes(LIMIT).build(),
        new RouteMetrics(meters, false));
    front = server(frontThreads, new RouteHandler(routes, next));
  }

  @AfterEach
  void stop() throws Exception {
    front.stop();
    backend.stop();
  }

  @Test
  void aRoutedRequestReachesTheBackendAndNotTheNextHandler() throws Exception {
    String answer = send("POST /a/b?c=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    assertTrue(answer.endsWith("backend POST /a/b?c=1 body=5"), answer);
    assertEquals(0, next.calls());
    // The exchange is counted when the proxy completes it, which may come just after the client read it.
    Await.until("the exchange counted", () -> requests("2xx") == 1.0);
    assertEquals(5.0, meters.get("fingerpost.web.route.bytes").tag("direction", "received").counter().count());
  }

  @Test
  void ownedPathsAndWebsocketUpgradesGoOnToTheNextHandler() throws Exception {
    assertTrue(send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n").endsWith("next"));
    assertTrue(send("GET /api/tenant/t/console-stream HTTP/1.1\r\nHost: x\r\n\r\n").endsWith("next"));
    assertTrue(send("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")
        .endsWith("next"));
    assertEquals(3, next.calls());
  }

  @Test
  void bodiesPastTheLimitGet413WhetherDeclaredOrStreamed() throws Exception {
    String declared = send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: " + (LIMIT + 1) + "\r\n\r\n");
    assertTrue(declared.startsWith("HTTP/1.1 413"), declared);
    assertTrue(declared.contains("Request body larger than " + LIMIT + " bytes"), declared);
    String chunk = "x".repeat((int) LIMIT);
    String streamed = send("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n1\r\ny\r\n0\r\n\r\n");
    assertTrue(streamed.startsWith("HTTP/1.1 413"), streamed);
    Await.until("both refusals counted", () -> requests("4xx") == 2.0);
    assertEquals(0, next.calls());
  }

  @Test
  void keepAliveRequestsGoOnOnTheThreadThatCompletedTheLastResponse() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port(front))) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (int i = 1; i <= 3; i++) {
        out.write(("GET /keep/" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String answer = RawHttp.readResponse(in);
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.endsWith("backend GET /keep/" + i + " body=0"), answer);
      }
    }
    // A response that completed on the proxy client's selector read on for the next request there (one
    // that completed before the reading thread returned needed no resume at all).
    assertTrue(frontThreads.inlineResumes() >= 1, "inline resumes: " + frontThreads.inlineResumes());
    assertEquals(0, next.calls());
  }

  @Test
  void proxiesOnTheSelectorThreadUnlessTheAccessLogWrites() {
    assertEquals(InvocationType.NON_BLOCKING, front.getHandler().getInvocationType());
    assertEquals(InvocationType.NON_BLOCKING, front.getInvocationType(), "the server hands no request to a thread");
    OwnedPaths owned = OwnedPaths.defaults(List.of()).build();
    RouteTable table = RouteTable.of(Map.of("/", URI.create("http://127.0.0.1:1/")), owned);
    Routes logged = Routes.of(table, owned, ProxySettings.builder().accessLog(true).build(),
        new RouteMetrics(new SimpleMeterRegistry(), true));
    assertEquals(InvocationType.BLOCKING, new RouteHandler(logged, new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        return false;
      }
    }).getInvocationType());
  }

  /** @param threads the server's pool, resuming inline as the web server's does; null: Jetty's default */
  private static Server server(InlineResumeThreadPool threads, Handler handler) throws Exception {
    Server server = threads == null ? new Server() : new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(handler);
    if (threads != null) {
      threads.resumeInline(server.getInvocationType() == InvocationType.NON_BLOCKING);
    }
    server.start();
    return server;
  }

  private static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }


  /** Sends {@code request} with {@code Connection: close} and returns all of the answer. */
  private String send(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port(front))) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(request.replaceFirst("\r\n", "\r\nConnection: close\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      try {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      } catch (java.net.SocketException reset) {
        return "reset";
      }
    }
  }

  /** Proxied requests of route {@code /} with {@code status} class counted so far (0 before the first). */
  private double requests(String status) {
    return meters.find("fingerpost.web.route.requests").tag("route", "/").tag("status", status).counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }
}
