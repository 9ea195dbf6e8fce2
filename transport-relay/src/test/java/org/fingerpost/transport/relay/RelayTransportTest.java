package org.fingerpost.transport.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fingerpost.testing.RecordingSink;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.LogTransport;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;
import org.junit.jupiter.api.Test;

/**
 * The relay's hop order and failover, against a scripted hop transport (the real hops over finger are
 * exercised end to end in the gateway module's zone tests).
 */
class RelayTransportTest {

  /** Plain hops: fails at once for ports in {@code down}, else sends "via host:port" and ends. */
  static final class ScriptedHops implements LogTransport {
    final Set<Integer> down;
    final List<String> opened = new CopyOnWriteArrayList<>();
    final List<Boolean> closed = new CopyOnWriteArrayList<>();
    boolean failAfterData;

    ScriptedHops(Set<Integer> down) {
      this.down = down;
    }

    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public boolean supports(StreamTarget target) {
      return true;
    }

    @Override
    public LogStream open(StreamTarget target, LogSink sink) {
      opened.add(target.route() + " " + target.host() + ":" + target.port() + (target.tls() ? " tls" : ""));
      int i = closed.size();
      closed.add(false);
      if (down.contains(target.port())) {
        sink.onError(StreamException.internal("connection refused", null));
        return LogStream.CLOSED;
      }
      sink.onData(ByteBuffer.wrap(("via " + target.host() + ":" + target.port()).getBytes(StandardCharsets.UTF_8)),
          () -> {});
      if (failAfterData) {
        sink.onError(StreamException.internal("broken", null));
      } else {
        sink.onEnd();
      }
      return () -> closed.set(i, true);
    }
  }

  static StreamTarget gatewayTarget() {
    return StreamTarget.builder("abc123", "gw-1", 7001).route(StreamTarget.Route.GATEWAY).zone("east")
        .attributes(Map.of("hostname", "gw-1"))
        .alternates(List.of(new StreamTarget.Endpoint("gw-2", 7002, true), new StreamTarget.Endpoint("gw-3", 7003, false)))
        .fallback(new StreamTarget.Endpoint("ex-east", 7900, false))
        .requesterZone("west")
        .build();
  }

  @Test
  void claimsGatewayTargetsOnlyAndAboveTheBuiltIns() {
    RelayTransport relay = new RelayTransport();
    assertTrue(relay.supports(gatewayTarget()));
    assertFalse(relay.supports(StreamTarget.builder("abc", "ex", 7900).build()));
    assertFalse(relay.supports(StreamTarget.builder("abc", "ex", 7900)
        .route(StreamTarget.Route.DIRECT_FALLBACK).build()));
    assertTrue(relay.priority() > LogTransport.BUILT_IN_PRIORITY);
    // Picked by the daemon's selection over a built-in that also supports the target.
    ScriptedHops hops = new ScriptedHops(Set.of());
    try (Transports transports = Transports.start(TransportSettings.EMPTY, hops, relay)) {
      assertSame(relay, transports.select(gatewayTarget()));
    } catch (StreamException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void chosenGatewayUpMeansOneHopWithoutHints() {
    ScriptedHops hops = new ScriptedHops(Set.of());
    RecordingSink sink = new RecordingSink();
    try (Transports transports = Transports.start(TransportSettings.EMPTY, hops, new RelayTransport())) {
      transports.open(gatewayTarget(), sink);
    }
    assertEquals(List.of("GATEWAY gw-1:7001"), hops.opened);
    assertEquals("via gw-1:7001", sink.text());
    assertEquals(List.of("end"), sink.endings());
  }

  @Test
  void unreachableGatewaysFailOverInOrderThenToTheExecutor() {
    ScriptedHops hops = new ScriptedHops(Set.of(7001, 7002));
    RecordingSink sink = new RecordingSink();
    try (Transports transports = Transports.start(TransportSettings.EMPTY, hops, new RelayTransport())) {
      transports.open(gatewayTarget(), sink);
    }
    assertEquals(List.of("GATEWAY gw-1:7001", "GATEWAY gw-2:7002 tls", "GATEWAY gw-3:7003"), hops.opened);
    assertEquals("via gw-3:7003", sink.text());
    assertEquals(List.of("end"), sink.endings());

    ScriptedHops allDown = new ScriptedHops(Set.of(7001, 7002, 7003));
    RecordingSink direct = new RecordingSink();
    try (Transports transports = Transports.start(TransportSettings.EMPTY, allDown, new RelayTransport())) {
      transports.open(gatewayTarget(), direct);
    }
    assertEquals("DIRECT_FALLBACK ex-east:7900", allDown.opened.get(3));
    assertEquals("via ex-east:7900", direct.text());
  }

  @Test
  void everyHopDownReportsOneInternalError() {
    ScriptedHops hops = new ScriptedHops(Set.of(7001, 7002, 7003, 7900));
    RecordingSink sink = new RecordingSink();
    try (Transports transports = Transports.start(TransportSettings.EMPTY, hops, new RelayTransport())) {
      transports.open(gatewayTarget(), sink);
    }
    assertEquals(4, hops.opened.size());
    assertEquals(List.of("error Internal streaming error"), sink.endings());
  }

  @Test
  void aFailureAfterTheFirstByteIsTheStreamsNotRetried() {
    ScriptedHops hops = new ScriptedHops(Set.of());
    hops.failAfterData = true;
    RecordingSink sink = new RecordingSink();
    try (Transports transports = Transports.start(TransportSettings.EMPTY, hops, new RelayTransport())) {
      transports.open(gatewayTarget(), sink);
    }
    assertEquals(1, hops.opened.size());
    assertEquals(List.of("error Internal streaming error"), sink.endings());
  }

  @Test
  void closingClosesTheActiveHop() {
    ScriptedHops hops = new ScriptedHops(Set.of(7001));
    RecordingSink sink = new RecordingSink();
    LogStream stream;
    try (Transports transports = Transports.start(TransportSettings.EMPTY, hops, new RelayTransport())) {
      stream = transports.open(gatewayTarget(), sink);
      stream.close();
      stream.close();
    }
    assertEquals(List.of(false, true), hops.closed);
  }

  @Test
  void withoutOtherTransportsTheStreamFailsCleanly() {
    RecordingSink sink = new RecordingSink();
    try (Transports transports = Transports.start(TransportSettings.EMPTY, new RelayTransport())) {
      transports.open(gatewayTarget(), sink);
    }
    assertEquals(List.of("error Internal streaming error"), sink.endings());
  }
}
