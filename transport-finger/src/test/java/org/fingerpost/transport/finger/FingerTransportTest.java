package org.fingerpost.transport.finger;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fingerpost.testing.RecordingSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.LogTransport;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.TransportContext;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FingerTransportTest {
  private static final String ID = "abcdef0123";

  private static FingerServer server(FingerHandler handler) throws Exception {
    FingerServer server = FingerServer.builder().name("upstream").host("127.0.0.1").handler(handler).build();
    server.start();
    return server;
  }

  @Test
  void isFoundByServiceLoaderAndSelectedForPlainTargets() throws Exception {
    try (Transports transports = Transports.load(getClass().getClassLoader(), null, TransportSettings.EMPTY)) {
      assertTrue(transports.names().contains(FingerTransport.NAME), transports.names().toString());
      assertTrue(transports.problems().isEmpty(), transports.problems().toString());
      LogTransport finger = transports.select(StreamTarget.builder(ID, "127.0.0.1", 7900).build());
      assertInstanceOf(FingerTransport.class, finger);
      assertEquals(LogTransport.BUILT_IN_PRIORITY, finger.priority());
      assertThrows(StreamException.class,
          () -> transports.select(StreamTarget.builder(ID, "127.0.0.1", 7900).tls(true).build()));
    }
  }

  @Test
  void streamsEndToEndWithTheConfiguredBuffer() throws Exception {
    byte[] data = Producers.pattern(1024 * 1024);
    try (FingerServer server = server((request, exchange) -> Producers.streamBytes(exchange, data, 50_000));
        FingerTransport transport = new FingerTransport()) {
      transport.start(new TransportSettings(Map.of(FingerTransport.CONNECT_TIMEOUT_KEY, "2000",
          FingerTransport.BUFFER_BYTES_KEY, "4096")), TransportContext.NONE);
      RecordingSink sink = new RecordingSink();
      transport.open(StreamTarget.builder(ID, "127.0.0.1", server.port()).build(), sink);
      assertNull(sink.done.get(10, TimeUnit.SECONDS));
      assertArrayEquals(data, sink.bytes());
      assertTrue(sink.maxChunk.get() <= 4096, "chunk of " + sink.maxChunk.get());
      assertEquals(1, sink.endCalls.get());
      assertEquals(0, sink.errorCalls.get());
    }
  }

  @Test
  void refusedConnectionGivesTheInternalWireText() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    FingerTransport transport = new FingerTransport();
    try {
      transport.start(TransportSettings.EMPTY, TransportContext.NONE);
      RecordingSink sink = new RecordingSink();
      transport.open(StreamTarget.builder(ID, "127.0.0.1", port).build(), sink);
      assertEquals("Internal streaming error", sink.failed.get(10, TimeUnit.SECONDS).wireMessage());
      transport.close(); // no thread left that could call the sink again
      assertEquals(1, sink.errorCalls.get());
      assertEquals(0, sink.endCalls.get());
    } finally {
      transport.close();
    }
  }

  @Test
  void openBeforeStartIsAnError() {
    RecordingSink sink = new RecordingSink();
    LogStream stream = new FingerTransport().open(StreamTarget.builder(ID, "127.0.0.1", 79).build(), sink);
    assertSame(LogStream.CLOSED, stream);
    assertEquals("Internal streaming error", sink.failed.getNow(null).wireMessage());
  }

  @Test
  void rejectsUnusableSettings() {
    assertThrows(IllegalArgumentException.class, () -> new FingerTransport()
        .start(new TransportSettings(Map.of(FingerTransport.BUFFER_BYTES_KEY, "12")), TransportContext.NONE));
    assertThrows(IllegalArgumentException.class, () -> new FingerTransport()
        .start(new TransportSettings(Map.of(FingerTransport.CONNECT_TIMEOUT_KEY, "soon")), TransportContext.NONE));
  }

  @Test
  void supportsPlainTargetsOnly() {
    FingerTransport transport = new FingerTransport();
    assertEquals("finger", transport.name());
    assertTrue(transport.supports(StreamTarget.builder(ID, "h", 79).build()));
    assertFalse(transport.supports(StreamTarget.builder(ID, "h", 79).tls(true).build()));
  }

  @Test
  void theUpstreamTextReachesTheSinkUnchanged() throws Exception {
    try (FingerServer server = server((request, exchange) ->
            Producers.stream(exchange, List.of(ByteBuffer.wrap(("Log not found for build ID " + request.buildId())
                .getBytes(UTF_8))).iterator()));
        FingerTransport transport = new FingerTransport()) {
      transport.start(TransportSettings.EMPTY, TransportContext.NONE);
      RecordingSink sink = new RecordingSink();
      transport.open(StreamTarget.builder(ID, "127.0.0.1", server.port()).build(), sink);
      assertNull(sink.done.get(10, TimeUnit.SECONDS));
      assertEquals("Log not found for build ID " + ID, new String(sink.bytes(), UTF_8));
    }
  }
}
