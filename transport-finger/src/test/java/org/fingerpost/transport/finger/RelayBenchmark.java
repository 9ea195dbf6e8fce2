package org.fingerpost.transport.finger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Iterator;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Throughput of a 1 GiB relay (streamer -> gateway -> client) on loopback, and of the direct
 * stream for comparison. Off by default; run with
 * {@code mvn -pl transport-finger test -Dtest=RelayBenchmark -Dfingerpost.bench=true}.
 */
@EnabledIfSystemProperty(named = "fingerpost.bench", matches = "true")
class RelayBenchmark {
  private static final long TOTAL_BYTES = 1L << 30;
  private static final int CHUNK_BYTES = 64 * 1024;

  @Test
  void relayOneGibibyte() throws Exception {
    ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES);
    chunk.put(Producers.pattern(CHUNK_BYTES)).flip();
    FingerHandler streamer = (request, exchange) -> Producers.stream(exchange, new Iterator<>() {
      long sent;

      @Override
      public boolean hasNext() {
        return sent < TOTAL_BYTES;
      }

      @Override
      public ByteBuffer next() {
        sent += CHUNK_BYTES;
        return chunk.duplicate();
      }
    });
    try (FingerServer upstream = FingerServer.builder().name("streamer").host("127.0.0.1").handler(streamer).build();
        FingerClient client = FingerClient.builder().name("gw-client").build()) {
      upstream.start();
      client.start();
      try (FingerServer gateway = FingerServer.builder().name("gateway").host("127.0.0.1")
          .handler((request, exchange) -> {
            LogStream s = client.open(StreamTarget.builder(request.buildId(), "127.0.0.1", upstream.port()).build(),
                exchange);
            exchange.onClose(s::close);
          }).build()) {
        gateway.start();
        try (BlockingRelay reference = new BlockingRelay(upstream.port())) {
          for (int round = 0; round < 10; round++) {
            System.setProperty("xx.interest", "false");
            measure("relay-inline", gateway.port());
            System.setProperty("xx.interest", "true");
            measure("relay-interest", gateway.port());
          }
        }
      }
    }
  }

  /** A reference relay: two blocking threads per connection copying with 64 KiB buffers. */
  static final class BlockingRelay implements AutoCloseable {
    private final java.net.ServerSocket server = new java.net.ServerSocket(0, 50,
        java.net.InetAddress.getLoopbackAddress());

    BlockingRelay(int upstreamPort) throws java.io.IOException {
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            java.net.Socket down = server.accept();
            java.net.Socket up = new java.net.Socket("127.0.0.1", upstreamPort);
            pump(down, up);
            pump(up, down);
          } catch (java.io.IOException e) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    private static void pump(java.net.Socket from, java.net.Socket to) {
      Thread t = new Thread(() -> {
        byte[] buf = new byte[CHUNK_BYTES];
        try (from; to) {
          for (int n; (n = from.getInputStream().read(buf)) >= 0; ) {
            to.getOutputStream().write(buf, 0, n);
          }
        } catch (java.io.IOException e) {
          // done
        }
      });
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws java.io.IOException {
      server.close();
    }
  }

  private static void measure(String what, int port) throws Exception {
    long start = System.nanoTime();
    long total = 0;
    try (RawClient user = new RawClient(port)) {
      user.send("abc\n");
      InputStream in = user.in;
      byte[] buf = new byte[256 * 1024];
      for (int n; (n = in.read(buf)) >= 0; ) {
        total += n;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("%s: %d MiB in %.2f s = %.0f MiB/s%n", what, total >> 20, seconds, (total >> 20) / seconds);
    assertEquals(TOTAL_BYTES, total);
  }
}
