package org.fingerpost.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportsTest {
  static final StreamTarget PLAIN = StreamTarget.builder("ab", "h", 1).build();
  static final StreamTarget TLS = StreamTarget.builder("ab", "h", 1).tls(true).build();

  /** A transport that claims targets by their TLS flag, with a chosen priority. */
  static final class Fake implements LogTransport {
    final String name;
    final boolean tls;
    final int priority;
    final AtomicInteger closed = new AtomicInteger();

    Fake(String name, boolean tls, int priority) {
      this.name = name;
      this.tls = tls;
      this.priority = priority;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean supports(StreamTarget target) {
      return target.tls() == tls;
    }

    @Override
    public int priority() {
      return priority;
    }

    @Override
    public LogStream open(StreamTarget target, LogSink sink) {
      sink.onEnd();
      return LogStream.CLOSED;
    }

    @Override
    public void close() {
      closed.incrementAndGet();
    }
  }

  @Test
  void selectsTheSupportingTransportWithTheHighestPriority() throws Exception {
    Fake plain = new Fake("plain", false, 0);
    Fake better = new Fake("better", false, 5);
    Fake tls = new Fake("tls", true, 0);
    Transports t = Transports.of(plain, better, tls);
    assertSame(better, t.select(PLAIN));
    assertSame(tls, t.select(TLS));
  }

  @Test
  void tiesAreBrokenByName() throws Exception {
    Fake b = new Fake("b", false, 0);
    Fake a = new Fake("a", false, 0);
    assertSame(a, Transports.of(b, a).select(PLAIN));
  }

  @Test
  void noSupportingTransportIsAnInternalErrorForTheSink() {
    Transports t = Transports.of(new Fake("plain", false, 0));
    StreamException e = assertThrows(StreamException.class, () -> t.select(TLS));
    assertEquals(StreamException.Kind.INTERNAL, e.kind());
    assertEquals("Internal streaming error", e.wireMessage());

    List<StreamException> errors = new ArrayList<>();
    LogStream stream = t.open(TLS, new LogSink() {
      @Override
      public void onData(java.nio.ByteBuffer chunk, Runnable next) {
        throw new AssertionError("no data expected");
      }

      @Override
      public void onEnd() {
        throw new AssertionError("no end expected");
      }

      @Override
      public void onError(StreamException error) {
        errors.add(error);
      }
    });
    assertSame(LogStream.CLOSED, stream);
    assertEquals(1, errors.size());
  }

  @Test
  void closeClosesEveryTransport() {
    Fake a = new Fake("a", false, 0);
    Fake b = new Fake("b", true, 0);
    Transports.of(a, b).close();
    assertEquals(1, a.closed.get());
    assertEquals(1, b.closed.get());
  }

  @Test
  void missingPluginDirectoryIsNoProblem(@TempDir Path dir) {
    try (Transports t = Transports.load(getClass().getClassLoader(), dir.resolve("absent"), TransportSettings.EMPTY)) {
      assertTrue(t.problems().isEmpty(), t.problems().toString());
    }
  }

  @Test
  void aJarWithoutTransportsIsReportedByName(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("not-a-plugin.jar"), "garbage");
    try (Transports t = Transports.load(getClass().getClassLoader(), dir, TransportSettings.EMPTY)) {
      assertEquals(1, t.problems().size(), t.problems().toString());
      assertTrue(t.problems().get(0).contains("not-a-plugin.jar"), t.problems().get(0));
    }
  }
}
