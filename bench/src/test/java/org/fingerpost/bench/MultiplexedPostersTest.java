package org.fingerpost.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one-thread load generator against a real Jetty server on port 0. */
class MultiplexedPostersTest {
  private static final byte[] BODY = "{\"action\": \"opened\"}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] ANSWER = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);
  private static final int CONNECTIONS = 4;
  private static final Duration RUN = Duration.ofMillis(300);

  private final AtomicInteger received = new AtomicInteger();
  private final List<String> wrongBodies = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** The request ids seen ("connection-number"), to check none is sent twice. */
  private final ConcurrentHashMap<String, Boolean> seen = new ConcurrentHashMap<>();
  private volatile int status = 200;
  /** Whether requests whose number ends in 1 are answered 503 (the others {@link #status}). */
  private volatile boolean refuseSome;
  private Server server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        byte[] body = BufferUtil.toArray(Content.Source.asByteBuffer(request));
        received.incrementAndGet();
        String id = request.getHeaders().get("X-Id");
        if (!java.util.Arrays.equals(BODY, body) || seen.put(id, true) != null) {
          wrongBodies.add(id);
        }
        response.setStatus(refuseSome && id.endsWith("1") ? 503 : status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, ANSWER.length);
        response.write(true, ByteBuffer.wrap(ANSWER), callback);
        return true;
      }
    });
    server.start();
    port = connector.getLocalPort();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  private MultiplexedPosters.Result run() throws IOException {
    long now = System.nanoTime();
    return MultiplexedPosters.run(port, CONNECTIONS, (c, i) -> "POST /hook HTTP/1.1\r\nHost: test\r\nX-Id: " + c
        + "-" + i + "\r\nContent-Length: " + BODY.length + "\r\n\r\n", BODY, now, now + RUN.toNanos(), 1_000_000);
  }

  @Test
  void everyAnswerBeforeTheEndIsMeasuredAndNoRequestIsLost() throws Exception {
    MultiplexedPosters.Result r = run();
    long measured = Samples.concat(r.latencies()).length;
    assertEquals(CONNECTIONS, r.latencies().size());
    assertTrue(measured > CONNECTIONS, "a few round trips in " + RUN + ": " + measured);
    // Each connection may have one request answered after the end, which is not measured.
    assertTrue(received.get() >= measured && received.get() <= measured + CONNECTIONS,
        "server saw " + received.get() + ", measured " + measured);
    assertEquals(0, r.refused());
    assertEquals(List.of(), wrongBodies, "each request has the whole body and its own number");
    for (long nanos : Samples.concat(r.latencies())) {
      assertTrue(nanos > 0);
    }
  }

  @Test
  void counts503sAsRefusedAndGoesOn() throws Exception {
    refuseSome = true;
    MultiplexedPosters.Result r = run();
    long measured = Samples.concat(r.latencies()).length;
    assertTrue(r.refused() > 0, "refused: " + r.refused());
    assertTrue(received.get() >= measured + r.refused() && received.get() <= measured + r.refused() + CONNECTIONS,
        "server saw " + received.get() + ", measured " + measured + ", refused " + r.refused());
  }

  @Test
  void anyOtherStatusFailsTheRunNamingIt() {
    status = 500;
    IOException e = assertThrows(IOException.class, this::run);
    assertTrue(e.getMessage().contains("answered 500"), e.getMessage());
  }

}
