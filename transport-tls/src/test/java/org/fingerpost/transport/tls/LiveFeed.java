package org.fingerpost.transport.tls;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.fingerpost.transport.LogSink;

/** A test log that grows when the test says so: {@link #push} hands one chunk to the stream's sink. */
public final class LiveFeed {
  public final CompletableFuture<LogSink> sink = new CompletableFuture<>();
  private final Semaphore writable = new Semaphore(1);

  /** Hands {@code data} to the stream once the previous chunk was taken (backpressure). */
  public void push(byte[] data) throws Exception {
    LogSink s = sink.get(10, TimeUnit.SECONDS);
    if (!writable.tryAcquire(10, TimeUnit.SECONDS)) {
      throw new AssertionError("previous chunk not taken within 10 s");
    }
    s.onData(ByteBuffer.wrap(data), writable::release);
  }

  public void end() throws Exception {
    LogSink s = sink.get(10, TimeUnit.SECONDS);
    if (!writable.tryAcquire(10, TimeUnit.SECONDS)) {
      throw new AssertionError("previous chunk not taken within 10 s");
    }
    s.onEnd();
  }
}
