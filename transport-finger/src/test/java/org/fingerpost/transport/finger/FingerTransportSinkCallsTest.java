package org.fingerpost.transport.finger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.after;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.TransportContext;
import org.fingerpost.transport.TransportSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/**
 * The calls the finger transport makes on its {@link LogSink} (a Mockito mock), against a real finger
 * server: data, then exactly one end, nothing after it; no chunk before the sink ran {@code next}; a
 * refused connection is one error and nothing else.
 */
@Timeout(60)
class FingerTransportSinkCallsTest {
  private static final String ID = "abcdef0123";
  /** How long a sink call may take to arrive over loopback before the test fails. */
  private static final int ARRIVES_MS = 10_000;
  /** How long the test watches for a call that must not come. */
  private static final int QUIET_MS = 500;

  private final LogSink sink = mock(LogSink.class);
  private final FingerTransport transport = new FingerTransport();
  private FingerServer server;

  private void serve(FingerHandler handler) throws Exception {
    server = FingerServer.builder().name("upstream").host("127.0.0.1").handler(handler).build();
    server.start();
    transport.start(new TransportSettings(Map.of(FingerTransport.BUFFER_BYTES_KEY, "4096")), TransportContext.NONE);
  }

  @AfterEach
  void close() throws Exception {
    transport.close();
    if (server != null) {
      server.close();
    }
  }

  @Test
  void dataThenExactlyOneEndThenNothing() throws Exception {
    byte[] data = Producers.pattern(64 * 1024);
    AtomicLong received = new AtomicLong();
    doAnswer(inv -> {
      received.addAndGet(inv.<ByteBuffer>getArgument(0).remaining());
      inv.<Runnable>getArgument(1).run();
      return null;
    }).when(sink).onData(any(), any());
    serve((request, exchange) -> Producers.streamBytes(exchange, data, 4096));

    transport.open(StreamTarget.builder(ID, "127.0.0.1", server.port()).build(), sink);

    verify(sink, timeout(ARRIVES_MS)).onEnd();
    transport.close(); // no transport thread left that could still call the sink
    InOrder order = inOrder(sink);
    order.verify(sink, atLeastOnce()).onData(any(), any());
    order.verify(sink).onEnd();
    verify(sink, never()).onError(any());
    verifyNoMoreInteractions(sink);
    assertEquals(data.length, received.get());
  }

  @Test
  void noChunkBeforeTheSinkRanNext() throws Exception {
    serve((request, exchange) -> Producers.endless(exchange, ByteBuffer.wrap(new byte[1024]), new AtomicLong()));
    ArgumentCaptor<Runnable> next = ArgumentCaptor.forClass(Runnable.class);

    transport.open(StreamTarget.builder(ID, "127.0.0.1", server.port()).build(), sink);

    verify(sink, timeout(ARRIVES_MS)).onData(any(), next.capture());
    // The upstream keeps sending, but the mock never ran next: the transport must hold back.
    verify(sink, after(QUIET_MS).times(1)).onData(any(), any());
    next.getValue().run();
    verify(sink, timeout(ARRIVES_MS).times(2)).onData(any(), any());
    verify(sink, never()).onEnd();
    verify(sink, never()).onError(any());
  }

  @Test
  void aRefusedConnectionIsOneErrorAndNothingElse() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    transport.start(TransportSettings.EMPTY, TransportContext.NONE);

    transport.open(StreamTarget.builder(ID, "127.0.0.1", port).build(), sink);

    verify(sink, timeout(ARRIVES_MS)).onError(argThat(e -> e.wireMessage().equals("Internal streaming error")));
    transport.close();
    verify(sink, times(1)).onError(any());
    verifyNoMoreInteractions(sink);
  }
}
