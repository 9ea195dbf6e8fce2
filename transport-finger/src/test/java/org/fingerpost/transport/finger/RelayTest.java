package org.fingerpost.transport.finger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.fingerpost.testing.RawFingerClient;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway's use of this module, in miniature: a {@link FingerServer} whose handler opens a
 * {@link FingerClient} stream upstream with the exchange itself as the sink.
 */
@Timeout(120)
class RelayTest {
  private FingerServer upstream;
  private FingerServer gateway;
  private FingerClient client;

  private void start(FingerHandler upstreamHandler) throws Exception {
    upstream = FingerServer.builder().name("streamer").host("127.0.0.1").handler(upstreamHandler).build();
    upstream.start();
    client = FingerClient.builder().name("gateway-client").build();
    client.start();
    gateway = FingerServer.builder().name("gateway").host("127.0.0.1")
        .requestErrorMessage("Internal streaming error")
        .handler((request, exchange) -> {
          LogStream stream = client.open(
              StreamTarget.builder(request.buildId(), "127.0.0.1", upstream.port()).build(), exchange);
          exchange.onClose(stream::close);
        })
        .build();
    gateway.start();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (client != null) {
      client.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void relaysEveryByte() throws Exception {
    byte[] data = Producers.pattern(64 * 1024 * 1024 + 3);
    start((request, exchange) -> Producers.streamBytes(exchange, data, 64 * 1024));
    try (RawFingerClient user = RawFingerClient.connect(gateway.port())) {
      assertArrayEquals(data, user.send("abc\r\n").readToEnd());
    }
  }

  @Test
  void aClientThatDisconnectsMidStreamClosesTheUpstreamWithinASecond() throws Exception {
    CountDownLatch upstreamClosed = new CountDownLatch(1);
    ByteBuffer chunk = ByteBuffer.wrap(Producers.pattern(64 * 1024)).asReadOnlyBuffer();
    start((request, exchange) -> {
      exchange.onClose(upstreamClosed::countDown);
      Producers.endless(exchange, chunk, new AtomicLong());
    });
    RawFingerClient user = RawFingerClient.connect(gateway.port());
    user.send("abc\n").readExactly(1024 * 1024);
    user.close();
    assertTrue(upstreamClosed.await(1, TimeUnit.SECONDS), "upstream still open 1 s after the client left");
  }

  @Test
  void anUnreachableUpstreamGivesTheInternalError() throws Exception {
    start((request, exchange) -> exchange.onEnd());
    upstream.close();
    try (RawFingerClient user = RawFingerClient.connect(gateway.port())) {
      assertEquals("Internal streaming error", user.send("abc\n").readToEndText());
    }
  }

  @Test
  void anUpstreamProducingOnItsOwnThreadIsRelayed() throws Exception {
    start((request, exchange) -> new Thread(() ->
        Producers.streamBytes(exchange, Producers.pattern(1024 * 1024), 1000), "producer").start());
    try (RawFingerClient user = RawFingerClient.connect(gateway.port())) {
      assertArrayEquals(Producers.pattern(1024 * 1024), user.send("abc\n").readToEnd());
    }
  }
}
