package org.fingerpost.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingLogSinkTest {

  /** Records what reaches it, including the exact chunk, next and error objects. */
  static final class Recording implements LogSink {
    final List<Object> calls = new ArrayList<>();

    @Override
    public void onData(ByteBuffer chunk, Runnable next) {
      calls.add(chunk);
      calls.add(next);
    }

    @Override
    public void onEnd() {
      calls.add("end");
    }

    @Override
    public void onError(StreamException error) {
      calls.add(error);
    }
  }

  @Test
  void forwardsEveryCallUnchangedByDefault() {
    Recording delegate = new Recording();
    LogSink sink = new ForwardingLogSink(delegate) {};
    ByteBuffer chunk = ByteBuffer.wrap(new byte[] {1, 2});
    Runnable next = () -> {};
    StreamException error = StreamException.internal("boom", null);
    sink.onData(chunk, next);
    sink.onEnd();
    sink.onError(error);
    assertEquals(List.of(chunk, next, "end", error), delegate.calls);
    assertEquals(0, chunk.position(), "the chunk is passed on, not consumed");
  }

  @Test
  void aSubclassChangesOnlyWhatItOverrides() {
    Recording delegate = new Recording();
    List<String> seen = new ArrayList<>();
    ForwardingLogSink sink = new ForwardingLogSink(delegate) {
      @Override
      public void onError(StreamException error) {
        seen.add(error.wireMessage());
        super.onError(error);
      }
    };
    assertSame(delegate, sink.delegate());
    StreamException error = new StreamException(StreamException.Kind.BUILD_NOT_FOUND, "none");
    sink.onEnd();
    sink.onError(error);
    assertEquals(List.of("Build not found"), seen);
    assertEquals(List.of("end", error), delegate.calls);
  }

  @Test
  void aDelegateIsRequired() {
    assertThrows(NullPointerException.class, () -> new ForwardingLogSink(null) {});
  }
}
