package org.fingerpost.webapp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.fingerpost.testing.RawHttp;
import org.junit.jupiter.api.Test;

/**
 * {@link InlineHandler}: the next handler runs on the reading thread when it does not block either,
 * on another thread when it blocks, and on the same thread when the server already blocks.
 */
class InlineHandlerTest {
  /** Passes every request on, recording the thread it ran on. */
  private static final class Front extends InlineHandler {
    final CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    private final boolean inline;

    Front(Handler next, boolean inline) {
      super(next);
      this.inline = inline;
    }

    @Override
    protected boolean inline() {
      return inline;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      ranOn.complete(Thread.currentThread());
      return handleNext(request, response, callback);
    }
  }

  /** Answers 200 {@code ok}, recording its thread; blocking or not as told. */
  private static final class Next extends Handler.Abstract {
    final CompletableFuture<Thread> ranOn = new CompletableFuture<>();

    Next(InvocationType type) {
      super(type);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      ranOn.complete(Thread.currentThread());
      response.write(true, java.nio.ByteBuffer.wrap("ok".getBytes(StandardCharsets.US_ASCII)), callback);
      return true;
    }
  }

  @Test
  void aNonBlockingNextRunsOnTheReadingThread() throws Exception {
    Thread[] ranOn = ranOn(true, InvocationType.NON_BLOCKING);
    assertSame(ranOn[0], ranOn[1]);
  }

  @Test
  void aBlockingNextRunsOnAPoolThread() throws Exception {
    Thread[] ranOn = ranOn(true, InvocationType.BLOCKING);
    assertNotSame(ranOn[0], ranOn[1]);
  }

  @Test
  void inABlockingServerTheNextRunsWhereTheFrontRan() throws Exception {
    assertEquals(InvocationType.BLOCKING, new Front(new Next(InvocationType.NON_BLOCKING), false).getInvocationType());
    Thread[] ranOn = ranOn(false, InvocationType.BLOCKING);
    assertSame(ranOn[0], ranOn[1], "no second hand-off");
  }

  /** The threads a front handler and the next one ran on, for one request. */
  private static Thread[] ranOn(boolean inline, InvocationType nextType) throws Exception {
    Next next = new Next(nextType);
    Front front = new Front(next, inline);
    serve(front);
    return new Thread[] {front.ranOn.get(10, TimeUnit.SECONDS), next.ranOn.get(10, TimeUnit.SECONDS)};
  }

  /** Starts a server with {@code handler}, sends it one request and reads the answer. */
  private static void serve(Handler handler) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(handler);
    server.start();
    try (Socket s = new Socket("127.0.0.1", connector.getLocalPort())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      String answer = RawHttp.readResponse(s.getInputStream());
      assertEquals("HTTP/1.1 200", answer.substring(0, 12), answer);
    } finally {
      server.stop();
    }
  }
}
