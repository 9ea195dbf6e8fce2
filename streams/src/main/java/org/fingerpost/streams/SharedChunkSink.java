package org.fingerpost.streams;

import java.nio.ByteBuffer;
import org.fingerpost.transport.LogSink;

/**
 * A viewer sink that takes the chunks of a shared upstream as the arrays {@link SharedStreams}
 * already shares among all viewers of a build on this node, so that work done on a chunk (the web
 * tier's UTF-8 decoding) can be done once per chunk and reused by every viewer (issue 15, finding 3).
 *
 * <p>Only chunks queued for several viewers arrive here: the replayed window and the shared tail.
 * Everything else (a private upstream, the upstream's own buffer lent to a single viewer, a viewer
 * that asked for an offset) still arrives through {@link #onData}. The backpressure rules of {@link
 * LogSink#onData} apply unchanged.
 *
 * <p><b>Threads and ownership.</b> Called serially, like {@link LogSink#onData}. The array is
 * immutable and shared: the sink must never modify it, and may keep it (its identity is stable, which
 * is what makes it usable as a cache key) for as long as it needs.
 */
public interface SharedChunkSink extends LogSink {
  /**
   * The next bytes of the log: all of {@code chunk}, an immutable array shared with other viewers.
   *
   * @param next run once the chunk is consumed, exactly as for {@link #onData(ByteBuffer, Runnable)}
   */
  void onSharedChunk(byte[] chunk, Runnable next);
}
