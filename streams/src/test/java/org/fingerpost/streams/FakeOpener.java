package org.fingerpost.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;

/** Records every open; only the three-argument open is implemented, as most openers do. */
final class FakeOpener implements SharedStreams.Opener {
  final List<Upstream> opens = new ArrayList<>();
  /** Offsets passed to the four-argument open (used for private upstreams). */
  final List<Long> offsets = new ArrayList<>();

  @Override
  public LogStream open(String buildId, String tenant, LogSink sink) {
    Upstream up = new Upstream(buildId, tenant, sink);
    opens.add(up);
    return up.stream;
  }

  @Override
  public LogStream open(String buildId, String tenant, long offset, LogSink sink) {
    offsets.add(offset);
    return SharedStreams.Opener.super.open(buildId, tenant, offset, sink);
  }

  Upstream only() {
    assertEquals(1, opens.size(), "upstreams opened");
    return opens.get(0);
  }

  /** One opened upstream: the sink to feed, and the stream handed back (records close). */
  static final class Upstream {
    final String buildId;
    final String tenant;
    final LogSink sink;
    final FakeStream stream = new FakeStream();
    int nextsRun;

    Upstream(String buildId, String tenant, LogSink sink) {
      this.buildId = buildId;
      this.tenant = tenant;
      this.sink = sink;
    }

    void send(String text) {
      sink.onData(ByteBuffer.wrap(text.getBytes(US_ASCII)), this::nextRan);
    }

    void nextRan() {
      nextsRun++;
    }
  }

  static final class FakeStream implements LogStream {
    int closes;

    @Override
    public void close() {
      closes++;
    }
  }
}
