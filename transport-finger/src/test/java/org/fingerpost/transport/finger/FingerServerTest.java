package org.fingerpost.transport.finger;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.fingerpost.testing.RawFingerClient;
import org.fingerpost.transport.StreamException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FingerServerTest {
  private static final String INTERNAL = "Internal streaming error";

  private final List<FingerServer> servers = new ArrayList<>();
  private final LinkedBlockingQueue<InvalidRequest> invalid = new LinkedBlockingQueue<>();

  @AfterEach
  void closeServers() {
    servers.forEach(FingerServer::close);
  }

  private FingerServer start(FingerHandler handler) throws Exception {
    return start(handler, UnaryOperator.identity());
  }

  private FingerServer start(FingerHandler handler, UnaryOperator<FingerServer.Builder> custom) throws Exception {
    FingerServer server = custom.apply(FingerServer.builder()
        .name("test-finger")
        .host("127.0.0.1")
        .port(0)
        .handler(handler)
        .onInvalidRequestReason(invalid::add)).build();
    servers.add(server);
    server.start();
    return server;
  }

  /** Answers {@code hello <id>} and ends. */
  private static final FingerHandler HELLO = (request, exchange) ->
      Producers.stream(exchange, List.of(ByteBuffer.wrap(("hello " + request.buildId()).getBytes(UTF_8))).iterator());

  @Test
  void servesAValidRequest() throws Exception {
    FingerServer server = start(HELLO);
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      assertEquals("hello 0123abcd", client.send("0123abcd\n").readToEndText());
    }
    assertTrue(invalid.isEmpty());
  }

  @Test
  void acceptsCrLf() throws Exception {
    FingerServer server = start(HELLO);
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      assertEquals("hello abc", client.send("abc\r\n").readToEndText());
    }
  }

  @Test
  void assemblesARequestSentOneByteAtATime() throws Exception {
    FingerServer server = start(HELLO);
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      for (byte b : "/W 5f3c2e1a9b7d4c6e\r\n".getBytes(UTF_8)) {
        client.send(new byte[] {b});
      }
      assertEquals("hello 5f3c2e1a9b7d4c6e", client.readToEndText());
    }
  }

  @Test
  void acceptsALineOfExactlyMaxLineBytes() throws Exception {
    FingerServer server = start(HELLO);
    String id = "a".repeat(FingerRequest.MAX_LINE_BYTES - 1); // + "\n" = 1024 bytes
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      assertEquals("hello " + id, client.send(id + "\n").readToEndText());
    }
  }

  @Test
  void closesSilentlyOnAnOverlongLine() throws Exception {
    FingerServer server = start(HELLO);
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      assertEquals("", client.send("a".repeat(2048)).readToEndText());
    }
    assertEquals(InvalidRequest.LINE_TOO_LONG, invalid.poll(5, TimeUnit.SECONDS));
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      assertEquals("", client.send("a".repeat(FingerRequest.MAX_LINE_BYTES) + "\n").readToEndText());
    }
    assertEquals(InvalidRequest.LINE_TOO_LONG, invalid.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void writesTheRequestErrorMessageOnAnOverlongLine() throws Exception {
    FingerServer server = start(HELLO, b -> b.requestErrorMessage(INTERNAL));
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      assertEquals(INTERNAL, client.send("a".repeat(2048) + "\n").readToEndText());
    }
    assertEquals(InvalidRequest.LINE_TOO_LONG, invalid.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void answersAnInvalidIdWithTheWireMessage() throws Exception {
    AtomicInteger handled = new AtomicInteger();
    FingerServer server = start((r, e) -> handled.incrementAndGet());
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      assertEquals("Build ID ../../etc/passwd is not valid", client.send("../../etc/passwd\r\n").readToEndText());
    }
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      assertEquals("Build ID ?[2J is not valid", client.send("\u001b[2J\n").readToEndText());
    }
    assertEquals(InvalidRequest.INVALID_BUILD_ID, invalid.poll(5, TimeUnit.SECONDS));
    assertEquals(0, handled.get());
  }

  @Test
  void closesWhenTheLineDoesNotArriveInTime() throws Exception {
    FingerServer server = start(HELLO, b -> b.requestTimeout(Duration.ofMillis(300)));
    long start = System.nanoTime();
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      assertEquals("", client.send("abc").readToEndText());
    }
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(elapsedMs >= 250 && elapsedMs < 5000, "closed after " + elapsedMs + " ms");
    assertEquals(InvalidRequest.TIMEOUT, invalid.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void writesTheRequestErrorMessageOnTimeout() throws Exception {
    FingerServer server = start(HELLO, b -> b.requestTimeout(Duration.ofMillis(200)).requestErrorMessage(INTERNAL));
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      assertEquals(INTERNAL, client.readToEndText()); // sends nothing at all
    }
    assertEquals(InvalidRequest.TIMEOUT, invalid.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void runsOnCloseWithinASecondWhenTheClientDisconnectsMidStream() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    FingerServer server = start((request, exchange) -> {
      exchange.onClose(closed::countDown);
      exchange.onData(ByteBuffer.wrap("first".getBytes(UTF_8)), () -> { }); // then stays quiet
    });
    RawFingerClient client = RawFingerClient.connect(server.port());
    client.send("abc\n");
    assertEquals("first", new String(client.readExactly(5), UTF_8));
    client.close();
    assertTrue(closed.await(1, TimeUnit.SECONDS), "onClose did not run within 1 s");
  }

  @Test
  void aQuietStreamSurvivesTheIdleTimeout() throws Exception {
    CompletableFuture<FingerExchange> exchange = new CompletableFuture<>();
    CountDownLatch closed = new CountDownLatch(1);
    FingerServer server = start((request, ex) -> {
      ex.onClose(closed::countDown);
      exchange.complete(ex);
    }, b -> b.stalledClientTimeout(Duration.ofMillis(200)));
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      client.send("abc\n");
      FingerExchange ex = exchange.get(5, TimeUnit.SECONDS);
      assertFalse(closed.await(1, TimeUnit.SECONDS), "a quiet stream was closed");
      assertTrue(ex.isOpen());
      Producers.stream(ex, List.of(ByteBuffer.wrap("late".getBytes(UTF_8))).iterator());
      assertEquals("late", client.readToEndText());
    }
    assertTrue(closed.await(5, TimeUnit.SECONDS));
  }

  @Test
  void passesInvalidUtf8ByteIdentical() throws Exception {
    byte[] data = {(byte) 0xff, (byte) 0xfe, 'a', (byte) 0x80, (byte) 0xc3, 0, '\r', '\n', (byte) 0xe2, (byte) 0x82};
    FingerServer server = start((request, exchange) -> Producers.streamBytes(exchange, data, 3));
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      assertArrayEquals(data, client.send("abc\n").readToEnd());
    }
  }

  @Test
  void aSlowReaderDoesNotMakeTheServerBuffer() throws Exception {
    AtomicLong handedOver = new AtomicLong();
    CountDownLatch closed = new CountDownLatch(1);
    CountDownLatch overLimit = new CountDownLatch(1);
    long limit = 32L * 1024 * 1024; // far above what the socket buffers of both ends hold
    ByteBuffer chunk = ByteBuffer.wrap(Producers.pattern(64 * 1024)).asReadOnlyBuffer();
    FingerServer server = start((request, exchange) -> {
      exchange.onClose(closed::countDown);
      Producers.endless(exchange, chunk, handedOver, limit, overLimit::countDown);
    });
    try (RawFingerClient client = RawFingerClient.withReceiveBuffer(server.port(), 64 * 1024)) {
      client.send("abc\n");
      // The client reads nothing: the producer must be held back once the socket buffers are full.
      assertFalse(overLimit.await(2, TimeUnit.SECONDS),
          "server accepted " + handedOver.get() + " bytes for a client that reads nothing");
      long stalledAt = handedOver.get();
      assertTrue(stalledAt > 0);
      // Reading resumes the flow, byte-exact.
      byte[] read = client.readExactly(4 * 1024 * 1024);
      for (int i = 0; i < read.length; i += chunk.capacity()) {
        assertEquals(chunk.get(0), read[i], "offset " + i);
      }
      assertTrue(handedOver.get() > stalledAt);
    }
    assertTrue(closed.await(1, TimeUnit.SECONDS));
  }

  @Test
  void dropsAClientThatReadsNothingForTheStalledClientTimeout() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    ByteBuffer chunk = ByteBuffer.wrap(Producers.pattern(64 * 1024)).asReadOnlyBuffer();
    FingerServer server = start((request, exchange) -> {
      exchange.onClose(closed::countDown);
      Producers.endless(exchange, chunk, new AtomicLong());
    }, b -> b.stalledClientTimeout(Duration.ofMillis(300)));
    try (RawFingerClient client = RawFingerClient.withReceiveBuffer(server.port(), 64 * 1024)) {
      client.send("abc\n");
      assertTrue(closed.await(10, TimeUnit.SECONDS), "stalled client not dropped");
    }
  }

  @Test
  void discardsWhatTheClientSendsAfterTheRequest() throws Exception {
    CompletableFuture<FingerExchange> exchange = new CompletableFuture<>();
    FingerServer server = start((request, ex) -> {
      ex.onData(ByteBuffer.wrap("one,".getBytes(UTF_8)), () -> exchange.complete(ex));
    });
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      client.send("abc\nextra line\n");
      FingerExchange ex = exchange.get(5, TimeUnit.SECONDS);
      client.send("x".repeat(100_000));
      Producers.stream(ex, List.of(ByteBuffer.wrap("two".getBytes(UTF_8))).iterator());
      assertEquals("one,two", client.readToEndText());
    }
  }

  @Test
  void terminalCallsAreIdempotent() throws Exception {
    AtomicInteger closeActions = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    FingerServer server = start((request, exchange) -> {
      exchange.onClose(closeActions::incrementAndGet);
      exchange.onError(StreamException.internal("upstream broke", new IOException("reset")));
      exchange.fail("Build not found");
      exchange.onEnd();
      exchange.onData(ByteBuffer.wrap("ignored".getBytes(UTF_8)), () -> { });
      assertFalse(exchange.isOpen());
      exchange.onClose(done::countDown); // already closed: runs at once
    });
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      assertEquals(INTERNAL, client.send("abc\n").readToEndText());
    }
    assertTrue(done.await(5, TimeUnit.SECONDS));
    assertEquals(1, closeActions.get());
  }

  @Test
  void failWritesItsTextAfterThePendingChunk() throws Exception {
    FingerServer server = start((request, exchange) -> {
      exchange.onData(ByteBuffer.wrap("partial log ".getBytes(UTF_8)), () -> { });
      exchange.fail("Build not found"); // may arrive while the chunk is still being written
    });
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      assertEquals("partial log Build not found", client.send("abc\n").readToEndText());
    }
  }

  @Test
  void aThrowingHandlerGetsTheRequestErrorMessage() throws Exception {
    FingerServer server = start((request, exchange) -> {
      throw new IllegalStateException("boom");
    }, b -> b.requestErrorMessage(INTERNAL));
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      assertEquals(INTERNAL, client.send("abc\n").readToEndText());
    }
  }

  @Test
  void aProducerLoopingThroughNextDoesNotOverflowTheStack() throws Exception {
    byte[] data = Producers.pattern(8 * 1024 * 1024);
    FingerServer server = start((request, exchange) -> Producers.streamBytes(exchange, data, 64));
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      assertArrayEquals(data, client.send("abc\n").readToEnd());
    }
  }

  @Test
  void closingTheServerClosesOpenExchanges() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    CountDownLatch handled = new CountDownLatch(1);
    FingerServer server = start((request, exchange) -> {
      exchange.onClose(closed::countDown);
      handled.countDown();
    });
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      client.send("abc\n");
      assertTrue(handled.await(5, TimeUnit.SECONDS));
      assertEquals(1, server.openConnections());
      server.close();
      assertTrue(closed.await(5, TimeUnit.SECONDS));
      try {
        assertEquals(-1, client.input().read());
      } catch (SocketException reset) {
        // A reset is as good as an end here.
      }
    }
  }

  @Test
  void remoteAddressNamesTheClient() throws Exception {
    CompletableFuture<String> address = new CompletableFuture<>();
    FingerServer server = start((request, exchange) -> {
      address.complete(exchange.remoteAddress());
      exchange.onEnd();
    });
    try (RawFingerClient client = RawFingerClient.connect(server.port())) {
      client.send("abc\n").readToEnd();
      assertEquals("127.0.0.1:" + client.socket().getLocalPort(), address.get(5, TimeUnit.SECONDS));
    }
  }
}
