package org.fingerpost.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Delegation between transports, and transports written against the one-argument start. */
class TransportContextTest {

  /** Written against the SPI before TransportContext existed: overrides start(TransportSettings) only. */
  static final class Legacy implements LogTransport {
    TransportSettings started;
    final List<String> opened = new ArrayList<>();

    @Override
    public String name() {
      return "legacy";
    }

    @Override
    public boolean supports(StreamTarget target) {
      return true;
    }

    @Override
    public void start(TransportSettings settings) {
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
  void legacyStartStillCalledAndDelegationSkipsTheDelegator() throws Exception {
    Legacy legacy = new Legacy();
    Delegating delegating = new Delegating();
    TransportSettings settings = new TransportSettings(java.util.Map.of("k", "v"));
    try (Transports transports = Transports.start(settings, legacy, delegating)) {
      assertSame(settings, legacy.started, "the default two-argument start calls the old one");
      StreamTarget target = StreamTarget.builder("ab12", "ex", 7900).build();
      assertSame(delegating, transports.select(target));
      Ends sink = new Ends();
      transports.open(target, sink);
      assertEquals(List.of("ex"), legacy.opened, "delegated to the other transport, not to itself");
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
