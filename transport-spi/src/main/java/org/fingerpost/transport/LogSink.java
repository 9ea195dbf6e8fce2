package org.fingerpost.transport;

import java.nio.ByteBuffer;

/**
 * Receives the bytes of one live log stream from a {@link LogTransport}.
 *
 * <p><b>Ordering.</b> Calls are serial (never concurrent) and happen in this order: any number of
 * {@link #onData}, then exactly one of {@link #onEnd} or {@link #onError}. After {@link
 * LogStream#close()} the transport makes no further call, except one that was already under way.
 *
 * <p><b>Backpressure.</b> After {@link #onData} the transport delivers nothing more until the sink
 * runs {@code next}. The sink runs it once the chunk has been consumed (written to its own client,
 * or copied), from any thread, at most once. A sink that cannot keep up simply runs {@code next}
 * later; one that gives up closes the {@link LogStream} instead of running it.
 *
 * <p><b>Buffers.</b> {@code chunk} belongs to the transport: it is valid only until {@code next} runs,
 * and the sink must not keep a reference after that. The sink may consume the chunk's remaining bytes
 * (advance its position).
 *
 * <p><b>Threads.</b> Calls arrive on the transport's threads, which must not be blocked: a sink does
 * its I/O asynchronously and runs {@code next} on completion.
 */
public interface LogSink {

  /** Log bytes, unframed; may include the upstream's own error text. See the class comment. */
  void onData(ByteBuffer chunk, Runnable next);

  /** The upstream ended the stream normally: the build's log is complete. */
  void onEnd();

  /** The stream could not be opened or broke; {@code error.wireMessage()} is what the client sees. */
  void onError(StreamException error);
}
