package org.fingerpost.transport.finger;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fingerpost.testing.RecordingSink;
import org.fingerpost.testing.TestPki;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class FingerClientTest {
  private static final String ID = "0123456789abcdef";
  /** Password of the in-memory key store (nothing is written with it). */
  private static final String KEY_PASSWORD = "changeit";

  @TempDir
  static Path tlsDir;
  private static TestPki.Cert ca;
  private static TestPki.Cert serverCert;

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void createCertificates() throws Exception {
    ca = new TestPki(tlsDir).ca("finger-ca");
    serverCert = ca.issue("server", "localhost");
  }

  /** The server side of TLS: {@code localhost}'s certificate, signed by the test CA. */
  private static SslContextFactory.Server tlsServer() {
    SslContextFactory.Server f = new SslContextFactory.Server();
    try {
      f.setKeyStore(serverCert.keyStore(KEY_PASSWORD.toCharArray()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    f.setKeyStorePassword(KEY_PASSWORD);
    return f;
  }

  /** The client side of TLS: trusts the test CA and checks the server's hostname. */
  private static SslContextFactory.Client tlsClient() {
    SslContextFactory.Client f = new SslContextFactory.Client();
    try {
      f.setTrustStore(ca.trustStore());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    f.setEndpointIdentificationAlgorithm("HTTPS");
    return f;
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private FingerServer server(FingerHandler handler) throws Exception {
    return server(handler, UnaryOperator.identity());
  }

  private FingerServer server(FingerHandler handler, UnaryOperator<FingerServer.Builder> custom) throws Exception {
    FingerServer server = custom.apply(FingerServer.builder().name("upstream").host("127.0.0.1").handler(handler))
        .build();
    closeables.add(server);
    server.start();
    return server;
  }

  private FingerClient client() throws Exception {
    return client(UnaryOperator.identity());
  }

  private FingerClient client(UnaryOperator<FingerClient.Builder> custom) throws Exception {
    FingerClient client = custom.apply(FingerClient.builder().name("test-client")).build();
    closeables.add(client);
    client.start();
    return client;
  }

  private static StreamTarget target(int port) {
    return StreamTarget.builder(ID, "127.0.0.1", port).build();
  }

  private static int unusedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void deliversEveryByteAndEndsOnce() throws Exception {
    byte[] data = Producers.pattern(8 * 1024 * 1024 + 17);
    CompletableFuture<String> requested = new CompletableFuture<>();
    FingerServer server = server((request, exchange) -> {
      requested.complete(request.buildId());
      Producers.streamBytes(exchange, data, 100_000);
    });
    FingerClient client = client();
    RecordingSink sink = new RecordingSink();
    client.open(target(server.port()), sink);
    assertNull(sink.done.get(10, TimeUnit.SECONDS));
    assertEquals(ID, requested.get());
    assertArrayEquals(data, sink.bytes());
    assertTrue(sink.maxChunk.get() <= FingerClient.DEFAULT_BUFFER_BYTES);
    client.close(); // no thread left that could call the sink again
    assertEquals(1, sink.endCalls.get());
    assertEquals(0, sink.errorCalls.get());
    assertFalse(sink.overlapped.get());
    assertEquals(0, client.openStreams());
  }

  @Test
  void passesTheUpstreamErrorTextAsData() throws Exception {
    FingerServer server = server((request, exchange) -> exchange.fail("Build ID " + request.buildId() + " not found"));
    RecordingSink sink = new RecordingSink();
    client().open(target(server.port()), sink);
    assertNull(sink.done.get(10, TimeUnit.SECONDS));
    assertEquals("Build ID " + ID + " not found", new String(sink.bytes(), UTF_8));
  }

  @Test
  void aRefusedConnectionIsAnInternalError() throws Exception {
    FingerClient client = client();
    RecordingSink sink = new RecordingSink();
    LogStream stream = client.open(target(unusedPort()), sink);
    StreamException error = sink.failed.get(10, TimeUnit.SECONDS);
    assertEquals(StreamException.Kind.INTERNAL, error.kind());
    assertEquals("Internal streaming error", error.wireMessage());
    assertNotNull(error.getCause());
    stream.close();
    client.close();
    assertEquals(1, sink.errorCalls.get());
    assertEquals(0, sink.endCalls.get());
    assertEquals(0, sink.dataCalls.get());
  }

  @Test
  void anUnresolvableHostIsAnInternalError() throws Exception {
    RecordingSink sink = new RecordingSink();
    client(b -> b.connectTimeout(Duration.ofSeconds(3)))
        .open(StreamTarget.builder(ID, "no-such-host.invalid", 79).build(), sink);
    assertEquals("Internal streaming error", sink.failed.get(10, TimeUnit.SECONDS).wireMessage());
  }

  @Test
  void closeStopsCallbacksAndTheServerSeesTheDisconnect() throws Exception {
    CountDownLatch serverSawClose = new CountDownLatch(1);
    ByteBuffer chunk = ByteBuffer.wrap(Producers.pattern(16 * 1024)).asReadOnlyBuffer();
    FingerServer server = server((request, exchange) -> {
      exchange.onClose(serverSawClose::countDown);
      Producers.endless(exchange, chunk, new AtomicLong());
    });
    FingerClient client = client();
    RecordingSink sink = new RecordingSink();
    LogStream stream = client.open(target(server.port()), sink);
    assertTrue(sink.awaitBytes(1024 * 1024, Duration.ofSeconds(10)));
    stream.close();
    int callsAtClose = sink.dataCalls.get();
    assertTrue(serverSawClose.await(1, TimeUnit.SECONDS), "server did not see the disconnect within 1 s");
    client.close();
    assertTrue(sink.dataCalls.get() <= callsAtClose + 1, "data after close");
    assertEquals(0, sink.endCalls.get());
    assertEquals(0, sink.errorCalls.get());
  }

  @Test
  void closeBeforeTheConnectionIsUpMeansNoCallbackAtAll() throws Exception {
    FingerServer server = server((request, exchange) -> exchange.onEnd());
    FingerClient client = client();
    RecordingSink sink = new RecordingSink();
    client.open(target(server.port()), sink).close();
    client.close();
    assertEquals(0, sink.dataCalls.get() + sink.endCalls.get() + sink.errorCalls.get());
  }

  @Test
  void readsNothingMoreUntilTheSinkRunsNext() throws Exception {
    ByteBuffer chunk = ByteBuffer.wrap(Producers.pattern(64 * 1024)).asReadOnlyBuffer();
    FingerServer server = server((request, exchange) -> Producers.endless(exchange, chunk, new AtomicLong()));
    RecordingSink sink = new RecordingSink().holdNext(true);
    LogStream stream = client().open(target(server.port()), sink);
    Runnable first = sink.heldNext.poll(10, TimeUnit.SECONDS);
    assertNotNull(first);
    assertNull(sink.heldNext.poll(500, TimeUnit.MILLISECONDS), "a second chunk before next ran");
    assertEquals(1, sink.dataCalls.get());
    first.run();
    assertNotNull(sink.heldNext.poll(10, TimeUnit.SECONDS), "no chunk after next ran");
    assertEquals(2, sink.dataCalls.get());
    stream.close();
  }

  @Test
  void aResetConnectionIsAnErrorNotAnEnd() throws Exception {
    try (ServerSocket raw = new ServerSocket(0)) {
      RecordingSink sink = new RecordingSink();
      client().open(target(raw.getLocalPort()), sink);
      try (Socket s = raw.accept()) {
        String line = new BufferedReader(new InputStreamReader(s.getInputStream(), UTF_8)).readLine();
        assertEquals(ID, line);
        s.getOutputStream().write("partial".getBytes(UTF_8));
        s.getOutputStream().flush();
        s.setSoLinger(true, 0); // close with RST
      }
      StreamException error = sink.failed.get(10, TimeUnit.SECONDS);
      assertEquals("Internal streaming error", error.wireMessage());
      assertEquals(0, sink.endCalls.get());
    }
  }

  @Test
  void closingTheClientFailsTheOpenStreams() throws Exception {
    CompletableFuture<FingerExchange> exchange = new CompletableFuture<>();
    FingerServer server = server((request, ex) -> exchange.complete(ex));
    FingerClient client = client();
    RecordingSink sink = new RecordingSink();
    client.open(target(server.port()), sink);
    exchange.get(10, TimeUnit.SECONDS);
    assertEquals(1, client.openStreams());
    client.close();
    assertEquals("Internal streaming error", sink.failed.get(10, TimeUnit.SECONDS).wireMessage());
    assertEquals(1, sink.errorCalls.get());
    assertEquals(0, sink.endCalls.get());
  }

  @Test
  void openAfterCloseReportsAnError() throws Exception {
    FingerClient client = client();
    client.close();
    RecordingSink sink = new RecordingSink();
    assertNotNull(client.open(target(79), sink));
    assertEquals("Internal streaming error", sink.failed.get(10, TimeUnit.SECONDS).wireMessage());
  }

  @Test
  void tlsUsesTheServerNameForSniAndTheCertificateCheck() throws Exception {
    FingerServer server = server((request, exchange) ->
        Producers.stream(exchange, List.of(ByteBuffer.wrap("secret log".getBytes(UTF_8))).iterator()),
        b -> b.sslContextFactory(tlsServer()));
    FingerClient client = client(b -> b.sslContextFactory(tlsClient()));
    // Connect to the IP; the certificate only names localhost: this works only if serverName is used.
    RecordingSink sink = new RecordingSink();
    client.open(StreamTarget.builder(ID, "127.0.0.1", server.port()).tls(true).serverName("localhost").build(), sink);
    assertNull(sink.done.get(10, TimeUnit.SECONDS));
    assertEquals("secret log", new String(sink.bytes(), UTF_8));

    RecordingSink wrongName = new RecordingSink();
    client.open(StreamTarget.builder(ID, "127.0.0.1", server.port()).tls(true).serverName("other.example").build(),
        wrongName);
    assertEquals("Internal streaming error", wrongName.failed.get(10, TimeUnit.SECONDS).wireMessage());
    assertEquals(0, wrongName.dataCalls.get());
  }

  @Test
  void tlsDecryptsSeveralRecordsIntoOneChunk() throws Exception {
    // Three writes of 20,000 bytes: six TLS records of at most 16 KiB of plaintext each.
    byte[] data = Producers.pattern(60_000);
    CountDownLatch allWritten = new CountDownLatch(1);
    FingerServer server = server((request, exchange) -> Producers.stream(exchange, new Iterator<>() {
      int offset;

      @Override
      public boolean hasNext() {
        if (offset == data.length) {
          allWritten.countDown();
        }
        return offset < data.length;
      }

      @Override
      public ByteBuffer next() {
        ByteBuffer b = ByteBuffer.wrap(data, offset, 20_000);
        offset += 20_000;
        return b;
      }
    }), b -> b.sslContextFactory(tlsServer()));
    RecordingSink sink = RecordingSink.holding(); // the records pile up behind the first chunk
    client(b -> b.sslContextFactory(tlsClient()))
        .open(StreamTarget.builder(ID, "127.0.0.1", server.port()).tls(true).serverName("localhost").build(), sink);
    assertTrue(allWritten.await(10, TimeUnit.SECONDS));
    sink.pumpToEnd();
    assertNull(sink.done.get(10, TimeUnit.SECONDS));
    assertArrayEquals(data, sink.bytes());
    assertTrue(sink.maxChunk.get() > 16 * 1024, "largest chunk " + sink.maxChunk.get() + " bytes: one record each");
    assertNull(sink.violation.get());
  }

  @Test
  void aTlsTargetWithoutTlsSettingsIsRefused() throws Exception {
    RecordingSink sink = new RecordingSink();
    client().open(StreamTarget.builder(ID, "127.0.0.1", 79).tls(true).build(), sink);
    assertEquals("Internal streaming error", sink.failed.get(10, TimeUnit.SECONDS).wireMessage());
  }

  @Test
  void aHandshakeThatNeverCompletesTimesOut() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) { // the kernel accepts; nobody ever answers
      FingerClient client = client(b -> b.sslContextFactory(tlsClient()).connectTimeout(Duration.ofMillis(300)));
      RecordingSink sink = new RecordingSink();
      long start = System.nanoTime();
      client.open(StreamTarget.builder(ID, "127.0.0.1", silent.getLocalPort()).tls(true)
          .serverName("localhost").build(), sink);
      assertEquals("Internal streaming error", sink.failed.get(10, TimeUnit.SECONDS).wireMessage());
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(ms >= 250 && ms < 5000, "timed out after " + ms + " ms");
    }
  }

  @Test
  void aQuietUpstreamIsNotTimedOut() throws Exception {
    CompletableFuture<FingerExchange> exchange = new CompletableFuture<>();
    FingerServer server = server((request, ex) -> exchange.complete(ex));
    FingerClient client = client(b -> b.connectTimeout(Duration.ofMillis(300)));
    RecordingSink sink = new RecordingSink();
    client.open(target(server.port()), sink);
    FingerExchange ex = exchange.get(10, TimeUnit.SECONDS);
    assertThrowsTimeout(sink.done, 1000);
    Producers.stream(ex, List.of(ByteBuffer.wrap("late".getBytes(UTF_8))).iterator());
    assertNull(sink.done.get(10, TimeUnit.SECONDS));
    assertEquals("late", new String(sink.bytes(), UTF_8));
  }

  private static void assertThrowsTimeout(CompletableFuture<?> future, long ms) throws Exception {
    try {
      future.get(ms, TimeUnit.MILLISECONDS);
      throw new AssertionError("completed early: " + future.join());
    } catch (java.util.concurrent.TimeoutException expected) {
      // nothing happened, as it should
    }
  }
}
