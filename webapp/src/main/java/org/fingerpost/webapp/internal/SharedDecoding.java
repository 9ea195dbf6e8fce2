package org.fingerpost.webapp.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Decodes each chunk a shared upstream hands to its websocket viewers once per node (issue 15,
 * finding 3): the first viewer to reach a chunk decodes it, the others reuse that {@link SharedText}
 * (one string, held by reference in every send queue). A chunk's decoding depends only on its bytes
 * and on the incomplete character carried in from the bytes before it, which is the same for every
 * viewer that read the same log from byte 0; a viewer carrying something else decodes on its own.
 *
 * <p>Entries are keyed by the identity of the shared, immutable chunk array ({@code
 * org.fingerpost.streams.SharedChunkSink}) and weakly held: a decoding lives as long as its chunk
 * (in the shared window or a viewer queue), never longer.
 *
 * <p><b>Threads.</b> Thread-safe: a short lock on the table, then one lock per chunk so that viewers
 * arriving together wait for the one decoding instead of repeating it.
 */
final class SharedDecoding {
  private final Map<byte[], Entry> entries = new WeakHashMap<>(); // byte[] equality is identity
  private final Counter decoded;
  private final Counter reused;

  SharedDecoding(MeterRegistry meters) {
    this.decoded = Counter.builder("fingerpost.web.text.decoded")
        .description("Shared log chunks decoded for websocket viewers (once per chunk per node)")
        .register(meters);
    this.reused = Counter.builder("fingerpost.web.text.reused")
        .description("Deliveries of a shared log chunk that reused its decoded text").register(meters);
  }

  /** One decoding: the carry it started from, and once decoded its text and the carry it left. */
  private static final class Entry {
    final byte[] carryIn;
    SharedText text;
    byte[] carryOut;

    Entry(byte[] carryIn) {
      this.carryIn = carryIn;
    }
  }

  /**
   * The text of {@code chunk} continuing {@code decoder}'s stream; leaves {@code decoder} as if it
   * had decoded the chunk itself.
   */
  SharedText decode(byte[] chunk, Utf8Decoder decoder) {
    byte[] carryIn = decoder.carry();
    Entry e;
    synchronized (entries) {
      e = entries.computeIfAbsent(chunk, k -> new Entry(carryIn));
    }
    if (!Arrays.equals(e.carryIn, carryIn)) {
      decoded.increment();
      return new SharedText(decoder.decode(ByteBuffer.wrap(chunk)), chunk.length);
    }
    synchronized (e) {
      if (e.text == null) {
        decoded.increment();
        e.text = new SharedText(decoder.decode(ByteBuffer.wrap(chunk)), chunk.length);
        e.carryOut = decoder.carry();
        return e.text;
      }
    }
    reused.increment();
    decoder.restore(e.carryOut);
    return e.text;
  }

  /** Chunks decoded so far (a chunk shared by many viewers counts once). */
  long decodedCount() {
    return (long) decoded.count();
  }

  /** Deliveries that reused a decoding so far. */
  long reusedCount() {
    return (long) reused.count();
  }
}
