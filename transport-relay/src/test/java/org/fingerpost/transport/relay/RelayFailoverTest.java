package org.fingerpost.transport.relay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.fingerpost.testing.RecordingSink;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.TransportContext;
import org.fingerpost.transport.TransportSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.mockito.stubbing.Answer;

/**
 * The relay's failover seen from its one collaborator, the {@link TransportContext} it delegates each
 * hop to (a Mockito stub): which hops it asks for, in which order, with which targets, and which hop
 * streams it closes. The scripted end-to-end variant is {@link RelayTransportTest}.
 */
class RelayFailoverTest {
  private final TransportContext context = mock(TransportContext.class);
  private final RelayTransport relay = new RelayTransport();
  private final RecordingSink sink = new RecordingSink();

  @BeforeEach
  void start() {
    relay.start(TransportSettings.EMPTY, context);
  }

  /** A hop that is refused: fails before its first byte. */
  private static Answer<LogStream> refused() {
    return inv -> {
      inv.<LogSink>getArgument(1).onError(StreamException.internal("connection refused", null));
      return LogStream.CLOSED;
    };
  }

  /** A hop that delivers {@code text}, then ends or fails, and returns {@code stream}. */
  private static Answer<LogStream> delivers(String text, boolean fails, LogStream stream) {
    return inv -> {
      LogSink hop = inv.getArgument(1);
      hop.onData(ByteBuffer.wrap(text.getBytes(UTF_8)), () -> { });
      if (fails) {
        hop.onError(StreamException.internal("broken", null));
      } else {
        hop.onEnd();
      }
      return stream;
    };
  }

  private static StreamTarget at(int port) {
    return argThat(t -> t != null && t.port() == port);
  }

  @Test
  void asksForTheNextGatewayOnlyAfterTheChosenOneFailedBeforeItsFirstByte() {
    when(context.open(at(7001), any())).thenAnswer(refused());
    when(context.open(at(7002), any())).thenAnswer(delivers("via gw-2", false, LogStream.CLOSED));

    relay.open(RelayTransportTest.gatewayTarget(), sink);

    ArgumentCaptor<StreamTarget> hops = ArgumentCaptor.forClass(StreamTarget.class);
    InOrder order = inOrder(context);
    order.verify(context, times(2)).open(hops.capture(), any());
    verifyNoMoreInteractions(context); // neither gw-3 nor the executor: gw-2 answered
    StreamTarget first = hops.getAllValues().get(0);
    StreamTarget second = hops.getAllValues().get(1);
    assertEquals(List.of("gw-1", "gw-2"), List.of(first.host(), second.host()));
    assertTrue(first.alternates().isEmpty() && first.fallback().isEmpty(),
        "a hop target carries no failover parts: they are the relay's own");
    assertTrue(second.tls(), "gw-2 advertises use_ssl");
    assertEquals(StreamTarget.Route.GATEWAY, second.route());
    assertEquals("via gw-2", sink.text());
    assertEquals(List.of("end"), sink.endings(), "the refused hop's error is not the stream's");
  }

  /** A gateway target from byte 4 of the log: gw-2 takes offsets and hop counts, gw-3 and the executor do not. */
  private static StreamTarget fromByteFour() {
    Set<String> ours = Set.of(StreamTarget.OFFSET_CAPABILITY, StreamTarget.HOPS_CAPABILITY);
    return StreamTarget.builder("abc123", "gw-1", 7001).route(StreamTarget.Route.GATEWAY).zone("east")
        .capabilities(ours).offset(4).hops(2)
        .alternates(List.of(new StreamTarget.Endpoint("gw-2", 7002, true, ours),
            new StreamTarget.Endpoint("gw-3", 7003, false)))
        .fallback(new StreamTarget.Endpoint("ex-east", 7900, false))
        .build();
  }

  @Test
  void aGatewayTakingOffsetsIsAskedFromTheSameByteAfterAFailover() {
    when(context.open(at(7001), any())).thenAnswer(refused());
    when(context.open(at(7002), any())).thenAnswer(delivers("efgh", false, LogStream.CLOSED));

    relay.open(fromByteFour(), sink);

    ArgumentCaptor<StreamTarget> hops = ArgumentCaptor.forClass(StreamTarget.class);
    verify(context, times(2)).open(hops.capture(), any());
    StreamTarget second = hops.getAllValues().get(1);
    assertEquals(4, second.offset(), "the offset goes on to the next gateway");
    assertEquals(2, second.hops(), "and so does the hop count");
    assertEquals("efgh", sink.text());
  }

  @Test
  void aHopThatCannotTakeTheOffsetStreamsFromTheStartAndItsFirstBytesAreDropped() {
    when(context.open(argThat(t -> t != null && t.port() != 7003), any())).thenAnswer(refused());
    when(context.open(at(7003), any())).thenAnswer(inv -> {
      LogSink hop = inv.getArgument(1);
      hop.onData(ByteBuffer.wrap("ab".getBytes(UTF_8)), () -> { });
      hop.onData(ByteBuffer.wrap("cdef".getBytes(UTF_8)), () -> { });
      hop.onData(ByteBuffer.wrap("gh".getBytes(UTF_8)), () -> { });
      hop.onEnd();
      return LogStream.CLOSED;
    });

    relay.open(fromByteFour(), sink);

    ArgumentCaptor<StreamTarget> hops = ArgumentCaptor.forClass(StreamTarget.class);
    verify(context, times(3)).open(hops.capture(), any());
    assertEquals(0, hops.getAllValues().get(2).offset(), "gw-3 lists no offset capability: asked from 0");
    assertEquals("efgh", sink.text(), "the log from byte 4, once");
    assertEquals(List.of("end"), sink.endings());
  }

  /** A hop that accepts and closes without a byte, as a gateway that is being stopped does. */
  private static Answer<LogStream> closesEmpty() {
    return inv -> {
      inv.<LogSink>getArgument(1).onEnd();
      return LogStream.CLOSED;
    };
  }

  @Test
  void aHopThatClosesBeforeItsFirstByteFailsOverToTheNextGateway() {
    when(context.open(at(7001), any())).thenAnswer(closesEmpty());
    when(context.open(at(7002), any())).thenAnswer(delivers("via gw-2", false, LogStream.CLOSED));

    relay.open(RelayTransportTest.gatewayTarget(), sink);

    verify(context).open(at(7001), any());
    verify(context).open(at(7002), any());
    verifyNoMoreInteractions(context);
    assertEquals("via gw-2", sink.text());
    assertEquals(List.of("end"), sink.endings(), "the empty end of the stopping hop is not the log's end");
  }

  @Test
  void anEmptyEndOnTheLastHopIsTheStreamsEnd() {
    when(context.open(any(), any())).thenAnswer(closesEmpty());

    relay.open(RelayTransportTest.gatewayTarget(), sink);

    verify(context, times(4)).open(any(), any());
    assertEquals("", sink.text());
    assertEquals(List.of("end"), sink.endings());
  }

  @Test
  void fallsBackToTheExecutorDirectlyWhenEveryGatewayIsRefused() {
    when(context.open(argThat(t -> t != null && t.port() != 7900), any())).thenAnswer(refused());
    when(context.open(at(7900), any())).thenAnswer(delivers("direct", false, LogStream.CLOSED));

    relay.open(RelayTransportTest.gatewayTarget(), sink);

    ArgumentCaptor<StreamTarget> hops = ArgumentCaptor.forClass(StreamTarget.class);
    verify(context, times(4)).open(hops.capture(), any());
    StreamTarget last = hops.getAllValues().get(3);
    assertEquals("ex-east", last.host());
    assertEquals(StreamTarget.Route.DIRECT_FALLBACK, last.route());
    assertFalse(last.tls());
    assertEquals(List.of("end"), sink.endings());
  }

  @Test
  void aFailureAfterDataIsReportedAndNoOtherHopIsAskedFor() {
    when(context.open(at(7001), any())).thenAnswer(delivers("partial", true, LogStream.CLOSED));

    relay.open(RelayTransportTest.gatewayTarget(), sink);

    verify(context).open(at(7001), any());
    verifyNoMoreInteractions(context);
    assertEquals("partial", sink.text());
    assertEquals(List.of("error Internal streaming error"), sink.endings());
  }

  @Test
  void closingTheRelayedStreamClosesTheActiveHop() {
    LogStream live = mock(LogStream.class);
    when(context.open(at(7001), any())).thenAnswer(refused());
    when(context.open(at(7002), any())).thenReturn(live); // connected, nothing sent yet

    LogStream stream = relay.open(RelayTransportTest.gatewayTarget(), sink);
    stream.close();

    verify(live).close();
    verify(context, times(2)).open(any(), any());
    assertFalse(sink.isFinished(), "a closed stream makes no further sink call");
  }
}
