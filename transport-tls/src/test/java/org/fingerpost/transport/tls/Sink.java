package org.fingerpost.transport.tls;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.StreamException;

/** A test {@link LogSink}: keeps the bytes; {@link #done} completes with null at the end or with the error. */
public final class Sink implements LogSink {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  public final CompletableFuture<StreamException> done = new CompletableFuture<>();

  @Override
  public void onData(ByteBuffer chunk, Runnable next) {
    synchronized (this) {
      byte[] b = new byte[chunk.remaining()];
      chunk.get(b);
      bytes.write(b, 0, b.length);
      notifyAll();
    }
    next.run();
  }

  @Override
  public void onEnd() {
    done.complete(null);
  }

  @Override
  public void onError(StreamException error) {
    done.complete(error);
  }

  public synchronized byte[] bytes() {
    return bytes.toByteArray();
  }

  /** Waits until at least {@code n} bytes arrived; false on timeout. */
  public synchronized boolean awaitBytes(int n, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (bytes.size() < n) {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }
}
