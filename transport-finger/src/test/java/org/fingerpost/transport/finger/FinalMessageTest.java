package org.fingerpost.transport.finger;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RawFingerClient;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The last words of a connection (issue 15, finding 1): the error text is written before the
 * connection closes however long the connection was quiet before, and the close linger still drops
 * a client that keeps its side open afterwards. The linger is shortened for the test; the quiet
 * periods below are part of each scenario (longer than the linger), not synchronisation.
 */
@Timeout(60)
class FinalMessageTest {
  private static final String INTERNAL = "Internal streaming error";
  private static final Duration LINGER = Duration.ofMillis(200);
  /** Quiet time before the failure: well past the linger, as the 7 s of the report were past 5 s. */
  private static final long QUIET_MS = 3 * LINGER.toMillis();

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final LinkedBlockingQueue<InvalidRequest> invalid = new LinkedBlockingQueue<>();

  @AfterEach
  void closeAll() throws Exception {
    scheduler.shutdownNow();
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private FingerServer start(FingerHandler handler, UnaryOperator<FingerServer.Builder> custom) throws Exception {
    FingerServer server = custom.apply(FingerServer.builder().name("final-message").host("127.0.0.1")
        .closeLinger(LINGER).handler(handler).onInvalidRequestReason(invalid::add)).build();
    toClose.add(server);
    server.start();
    return server;
  }

  @Test
  void theErrorTextFollowsAQuietPeriodLongerThanTheLinger() throws Exception {
    FingerServer server = start((request, exchange) ->
        exchange.onData(ByteBuffer.wrap("hello\n".getBytes(UTF_8)), () -> scheduler.schedule(
            () -> exchange.onError(StreamException.internal("upstream reset", new IOException("reset"))),
            QUIET_MS, TimeUnit.MILLISECONDS)), UnaryOperator.identity());
    try (RawFingerClient client = RawFingerClient.request(server.port(), "abc\n")) {
      assertEquals("hello\n" + INTERNAL, client.readToEndText());
    }
  }

  @Test
  void aRelayedUpstreamResetAfterQuietGivesTheInternalError() throws Exception {
    try (ServerSocket executor = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // A fake executor: answers hello, stays quiet, then resets the connection.
      CompletableFuture<Void> fake = CompletableFuture.runAsync(() -> helloThenReset(executor));
      FingerClient client = FingerClient.builder().name("relay-client").build();
      toClose.add(client);
      client.start();
      FingerServer gateway = start((request, exchange) -> {
        LogStream stream = client.open(StreamTarget.builder(request.buildId(), "127.0.0.1",
            executor.getLocalPort()).build(), exchange);
        exchange.onClose(stream::close);
      }, b -> b.requestErrorMessage(INTERNAL));
      try (RawFingerClient user = RawFingerClient.request(gateway.port(), "abc\n")) {
        assertEquals("hello\n" + INTERNAL, user.readToEndText());
      }
      fake.get(20, TimeUnit.SECONDS);
    }
  }

  private void helloThenReset(ServerSocket executor) {
    try {
      Socket s = executor.accept();
      InputStream in = s.getInputStream();
      while (in.read() != '\n') {
        // the request line
      }
      s.getOutputStream().write("hello\n".getBytes(UTF_8));
      s.getOutputStream().flush();
      // The scenario: a build quiet for longer than the linger, then the executor goes away (a reset).
      scheduler.schedule(() -> reset(s), QUIET_MS, TimeUnit.MILLISECONDS).get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Void reset(Socket s) throws IOException {
    s.setSoLinger(true, 0);
    s.close();
    return null;
  }

  @Test
  void halfARequestLineThenSilenceGetsTheRequestErrorMessage() throws Exception {
    FingerServer server = start((request, exchange) -> exchange.onEnd(),
        b -> b.requestTimeout(Duration.ofMillis(QUIET_MS)).requestErrorMessage(INTERNAL));
    try (RawFingerClient client = RawFingerClient.request(server.port(), "ab")) {
      assertEquals(INTERNAL, client.readToEndText());
    }
    assertEquals(InvalidRequest.TIMEOUT, invalid.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void theLingerStillClosesAClientThatKeepsItsSideOpen() throws Exception {
    FingerServer server = start((request, exchange) -> scheduler.schedule(
        () -> exchange.fail("Build not found"), QUIET_MS, TimeUnit.MILLISECONDS), UnaryOperator.identity());
    try (RawFingerClient client = RawFingerClient.request(server.port(), "abc\n")) {
      assertEquals("Build not found", new String(client.readExactly("Build not found".length()), UTF_8));
      // The client neither reads the end nor closes: the server closes once the linger is over.
      Await.until("the server closed the connection", Duration.ofSeconds(10),
          () -> server.openConnections() == 0);
      assertTrue(client.atEnd());
    }
  }
}
