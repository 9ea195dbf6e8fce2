package org.fingerpost.example.tcp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.TransportContext;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The example transport against real loopback sockets: a one-connection server per test. */
@Timeout(30)
class TcpExampleTransportTest {
  private static final String ID = "0123abcd";
  private static final long WAIT_SECONDS = 10;

  private final TcpExampleTransport transport = new TcpExampleTransport();
  private final ExecutorService serverThreads = Executors.newCachedThreadPool();
  private ServerSocket server;

  /** What a server connection does after reading the request line. */
  interface Script {
    void run(String requestLine, InputStream in, OutputStream out) throws IOException;
  }

  @BeforeEach
  void start() throws Exception {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    transport.start(TransportSettings.EMPTY, TransportContext.NONE);
  }

  @AfterEach
  void stop() throws Exception {
    transport.close();
    server.close();
    serverThreads.shutdownNow();
  }

  /** Serves one connection with {@code script}; completes with the request line. */
  CompletableFuture<String> serveOnce(Script script) {
    CompletableFuture<String> request = new CompletableFuture<>();
    serverThreads.execute(() -> {
      try (Socket s = server.accept()) {
        String line = readLine(s.getInputStream());
        request.complete(line);
        script.run(line, s.getInputStream(), s.getOutputStream());
      } catch (IOException e) {
        request.completeExceptionally(e);
      }
    });
    return request;
  }

  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      line.write(b);
    }
    return line.toString(UTF_8);
  }

  StreamTarget target() {
    return StreamTarget.builder(ID, "127.0.0.1", server.getLocalPort())
        .attributes(Map.of(TcpExampleTransport.TRANSPORT_ATTRIBUTE, TcpExampleTransport.NAME)).build();
  }

  /**
   * Collects the stream; runs {@code next} from another thread, as a sink writing to its own client
   * does, and checks that calls never overlap and that nothing arrives before {@code next} ran.
   */
  static final class Collecting implements LogSink {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CompletableFuture<StreamException> done = new CompletableFuture<>();
    final AtomicInteger ends = new AtomicInteger();
    final AtomicBoolean pending = new AtomicBoolean();
    final AtomicBoolean violated = new AtomicBoolean();
    final CompletableFuture<Void> firstData = new CompletableFuture<>();
    private final ExecutorService nexts = Executors.newSingleThreadExecutor();

    @Override
    public void onData(ByteBuffer chunk, Runnable next) {
      if (!pending.compareAndSet(false, true)) {
        violated.set(true);
      }
      synchronized (bytes) {
        byte[] copy = new byte[chunk.remaining()];
        chunk.get(copy);
        bytes.write(copy, 0, copy.length);
      }
      firstData.complete(null);
      nexts.execute(() -> {
        pending.set(false);
        next.run();
      });
    }

    @Override
    public void onEnd() {
      finish(null);
    }

    @Override
    public void onError(StreamException error) {
      finish(error);
    }

    private void finish(StreamException error) {
      if (pending.get()) {
        violated.set(true);
      }
      ends.incrementAndGet();
      done.complete(error);
      nexts.shutdown();
    }

    byte[] bytes() {
      synchronized (bytes) {
        return bytes.toByteArray();
      }
    }
  }

  @Test
  void sendsTheBuildIdAndStreamsEveryByteUntilThePeerCloses() throws Exception {
    byte[] log = new byte[1024 * 1024];
    new Random(7).nextBytes(log);
    CompletableFuture<String> request = serveOnce((line, in, out) -> {
      for (int i = 0; i < log.length; i += 10_000) {
        out.write(log, i, Math.min(10_000, log.length - i));
      }
    });
    Collecting sink = new Collecting();
    transport.open(target(), sink);
    assertEquals(ID, request.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertNull(sink.done.get(WAIT_SECONDS, TimeUnit.SECONDS), "ended normally");
    assertArrayEquals(log, sink.bytes());
    assertEquals(1, sink.ends.get());
    assertFalse(sink.violated.get(), "a call arrived before next ran");
  }

  @Test
  void aTargetAtAnOffsetStartsThere() throws Exception {
    serveOnce((line, in, out) -> out.write("hello\nworld\n".getBytes(UTF_8)));
    Collecting sink = new Collecting();
    transport.open(target().toBuilder().capabilities(Set.of(StreamTarget.OFFSET_CAPABILITY)).offset(6).build(),
        sink);
    assertNull(sink.done.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals("world\n", new String(sink.bytes(), UTF_8));
  }

  @Test
  void aRefusedConnectionIsOneInternalError() throws Exception {
    int port = server.getLocalPort();
    server.close();
    Collecting sink = new Collecting();
    transport.open(StreamTarget.builder(ID, "127.0.0.1", port).build(), sink);
    StreamException error = sink.done.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(StreamException.Kind.INTERNAL, error.kind());
    assertEquals("Internal streaming error", error.wireMessage());
    assertEquals(1, sink.ends.get());
  }

  @Test
  void closingTheStreamClosesTheConnection() throws Exception {
    CompletableFuture<Integer> serverRead = new CompletableFuture<>();
    serveOnce((line, in, out) -> {
      out.write("first".getBytes(UTF_8));
      out.flush();
      serverRead.complete(in.read()); // -1 once the transport closed its side
    });
    Collecting sink = new Collecting();
    LogStream stream = transport.open(target(), sink);
    sink.firstData.get(WAIT_SECONDS, TimeUnit.SECONDS);
    stream.close();
    stream.close();
    assertEquals(-1, serverRead.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertFalse(sink.done.isDone(), "no end or error after the owner closed the stream");
  }

  @Test
  void claimsOnlyPlainTargetsThatAskForItAndIsFoundByServiceLoader() throws Exception {
    assertTrue(transport.supports(target()));
    assertFalse(transport.supports(StreamTarget.builder(ID, "h", 79).build()));
    assertFalse(transport.supports(target().toBuilder().tls(true).build()));
    try (Transports transports = Transports.load(getClass().getClassLoader(), null, TransportSettings.EMPTY)) {
      assertTrue(transports.problems().isEmpty(), transports.problems().toString());
      assertEquals(TcpExampleTransport.NAME, transports.select(target()).name());
    }
  }

  @Test
  void openBeforeStartIsAnError() throws Exception {
    Collecting sink = new Collecting();
    assertEquals(LogStream.CLOSED, new TcpExampleTransport().open(target(), sink));
    assertEquals("Internal streaming error", sink.done.get(WAIT_SECONDS, TimeUnit.SECONDS).wireMessage());
  }
}
