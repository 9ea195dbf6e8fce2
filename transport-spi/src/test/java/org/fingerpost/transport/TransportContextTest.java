package org.fingerpost.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Delegation between transports, and what start hands a transport that does not delegate. */
class TransportContextTest {

  /** Keeps its settings and ignores its context, as a transport that delegates nothing does. */
  static final class Direct implements LogTransport {
    TransportSettings started;
    final List<String> opened = new ArrayList<>();

    @Override
    public String name() {
      return "direct";
    }

    @Override
    public boolean supports(StreamTarget target) {
      return true;
    }

    @Override
    public void start(TransportSettings settings, TransportContext context) {
      started = settings;
    }

    @Override
    public LogStream open(StreamTarget target, LogSink sink) {
      opened.add(target.host());
      sink.onEnd();
      return LogStream.CLOSED;
    }
  }

  /** Claims everything above the built-ins and hands each target on through its context. */
  static final class Delegating implements LogTransport {
    TransportContext context;

    @Override
    public String name() {
      return "delegating";
    }

    @Override
    public int priority() {
      return 5;
    }

    @Override
    public boolean supports(StreamTarget target) {
      return true;
    }

    @Override
    public void start(TransportSettings settings, TransportContext context) {
      this.context = context;
    }

    @Override
    public LogStream open(StreamTarget target, LogSink sink) {
      return context.open(target.toBuilder().serverName("hop").build(), sink);
    }
  }

  static final class Ends implements LogSink {
    final List<String> calls = new ArrayList<>();

    @Override
    public void onData(ByteBuffer chunk, Runnable next) {
      calls.add("data");
      next.run();
    }

    @Override
    public void onEnd() {
      calls.add("end");
    }

    @Override
    public void onError(StreamException error) {
      calls.add("error " + error.wireMessage());
    }
  }

  @Test
  void startGetsTheSettingsAndDelegationSkipsTheDelegator() throws Exception {
    Direct direct = new Direct();
    Delegating delegating = new Delegating();
    TransportSettings settings = new TransportSettings(java.util.Map.of("k", "v"));
    try (Transports transports = Transports.start(settings, direct, delegating)) {
      assertSame(settings, direct.started, "start gets the daemon's settings");
      StreamTarget target = StreamTarget.builder("ab12", "ex", 7900).build();
      assertSame(delegating, transports.select(target));
      Ends sink = new Ends();
      transports.open(target, sink);
      assertEquals(List.of("ex"), direct.opened, "delegated to the other transport, not to itself");
      assertEquals(List.of("end"), sink.calls);
    }
  }

  @Test
  void nothingElseToDelegateToIsAnInternalError() {
    Delegating delegating = new Delegating();
    try (Transports transports = Transports.start(TransportSettings.EMPTY, delegating)) {
      Ends sink = new Ends();
      transports.open(StreamTarget.builder("ab12", "ex", 7900).build(), sink);
      assertEquals(List.of("error Internal streaming error"), sink.calls);
    }
    Ends none = new Ends();
    TransportContext.NONE.open(StreamTarget.builder("ab12", "ex", 7900).build(), none);
    assertTrue(none.calls.get(0).startsWith("error"));
  }
}
