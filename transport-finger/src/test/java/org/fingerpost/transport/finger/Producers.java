package org.fingerpost.transport.finger;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import org.fingerpost.transport.LogSink;

/** Test producers that drive a {@link LogSink} the way the streamer does: the next chunk from {@code next}. */
final class Producers {
  private Producers() {}

  /** Writes {@code data} in chunks of {@code chunkBytes}, then ends. */
  static void streamBytes(LogSink sink, byte[] data, int chunkBytes) {
    Iterator<ByteBuffer> chunks = new Iterator<>() {
      int offset;

      @Override
      public boolean hasNext() {
        return offset < data.length;
      }

      @Override
      public ByteBuffer next() {
        int n = Math.min(chunkBytes, data.length - offset);
        ByteBuffer b = ByteBuffer.wrap(data, offset, n);
        offset += n;
        return b;
      }
    };
    stream(sink, chunks);
  }

  /** Writes the chunks one after the other, each once the previous one's {@code next} ran; then ends. */
  static void stream(LogSink sink, Iterator<ByteBuffer> chunks) {
    Runnable[] step = new Runnable[1];
    step[0] = () -> {
      if (chunks.hasNext()) {
        sink.onData(chunks.next(), step[0]);
      } else {
        sink.onEnd();
      }
    };
    step[0].run();
  }

  /** Writes {@code chunk} again and again, forever (until the sink stops running next); counts the bytes handed over. */
  static void endless(LogSink sink, ByteBuffer chunk, AtomicLong handedOver) {
    endless(sink, chunk, handedOver, Long.MAX_VALUE, () -> { });
  }

  /** Like {@link #endless(LogSink, ByteBuffer, AtomicLong)}; runs {@code onLimit} once more than {@code limit} bytes were handed over. */
  static void endless(LogSink sink, ByteBuffer chunk, AtomicLong handedOver, long limit, Runnable onLimit) {
    Runnable[] step = new Runnable[1];
    step[0] = () -> {
      ByteBuffer b = chunk.duplicate();
      long before = handedOver.getAndAdd(b.remaining());
      if (before <= limit && before + b.remaining() > limit) {
        onLimit.run();
      }
      sink.onData(b, step[0]);
    };
    step[0].run();
  }

  static byte[] pattern(int size) {
    byte[] data = new byte[size];
    long x = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      data[i] = (byte) x;
    }
    return data;
  }
}
