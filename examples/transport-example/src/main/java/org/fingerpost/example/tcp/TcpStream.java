package org.fingerpost.example.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;

/**
 * One stream of {@link TcpExampleTransport}: connect, send {@code <build id>\n}, then read and hand
 * each chunk to the sink until the peer closes. One socket operation is pending at a time, so the
 * sink's calls are serial; a read starts only when the sink ran {@code next} for the previous chunk
 * (backpressure), and the one buffer is reused only then (the chunk is the sink's until it runs
 * {@code next}).
 *
 * <p>{@link #close()} is idempotent and thread-safe; after it the sink gets no further call, except
 * one already under way.
 */
final class TcpStream implements LogStream {
  static final int BUFFER_BYTES = 16 * 1024;

  private final AsynchronousSocketChannel channel;
  private final StreamTarget target;
  private final LogSink sink;
  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
  /** Set once the sink got its last call, or the owner closed the stream. */
  private final AtomicBoolean finished = new AtomicBoolean();
  /** Bytes still to drop for a target opened at an offset; touched by the serial reads only. */
  private long skip;
  private volatile boolean timedOut;

  TcpStream(AsynchronousSocketChannel channel, StreamTarget target, LogSink sink) {
    this.channel = channel;
    this.target = target;
    this.sink = sink;
    this.skip = target.offset();
  }

  /** Resolves and connects on {@code timer}'s thread, so the caller of {@code open} never waits. */
  void connect(ScheduledExecutorService timer, Duration timeout) {
    step("connect", () -> timer.execute(() -> step("connect", () -> {
      InetSocketAddress address = new InetSocketAddress(target.host(), target.port());
      if (address.isUnresolved()) {
        fail("Cannot resolve " + target.host(), null);
        return;
      }
      ScheduledFuture<?> deadline = timer.schedule(() -> {
        timedOut = true;
        closeChannel();
      }, timeout.toMillis(), TimeUnit.MILLISECONDS);
      channel.connect(address, null, handler("connect", ignored -> {
        deadline.cancel(false);
        write(ByteBuffer.wrap((target.buildId() + "\n").getBytes(StandardCharsets.UTF_8)));
      }));
    })));
  }

  private void write(ByteBuffer request) {
    step("send the request", () -> channel.write(request, null, handler("send the request", ignored -> {
      if (request.hasRemaining()) {
        write(request);
      } else {
        read();
      }
    })));
  }

  private void read() {
    if (finished.get()) {
      return;
    }
    buffer.clear();
    step("read", () -> channel.read(buffer, null, handler("read", (Integer count) -> {
      if (count < 0) {
        end();
        return;
      }
      buffer.flip();
      if (skip > 0) {
        int drop = (int) Math.min(skip, buffer.remaining());
        buffer.position(buffer.position() + drop);
        skip -= drop;
      }
      if (!buffer.hasRemaining()) {
        read();
      } else if (!finished.get()) {
        sink.onData(buffer, this::read);
      }
    })));
  }

  /**
   * Starts one socket operation; one that cannot even start (the transport was closed meanwhile:
   * its threads are gone) fails the stream.
   */
  private void step(String step, Runnable start) {
    try {
      start.run();
    } catch (RuntimeException e) {
      fail("Cannot " + step, e);
    }
  }

  /** A completion handler that runs {@code then} on success and fails the stream otherwise. */
  private <V> CompletionHandler<V, Void> handler(String step, Consumer<V> then) {
    return new CompletionHandler<>() {
      @Override
      public void completed(V result, Void attachment) {
        then.accept(result);
      }

      @Override
      public void failed(Throwable error, Void attachment) {
        fail(timedOut ? "Connect timed out" : "Cannot " + step, error);
      }
    };
  }

  private void end() {
    if (finished.compareAndSet(false, true)) {
      closeChannel();
      sink.onEnd();
    }
  }

  private void fail(String what, Throwable cause) {
    if (finished.compareAndSet(false, true)) {
      closeChannel();
      sink.onError(StreamException.internal(what + ": " + target, cause));
    }
  }

  @Override
  public void close() {
    finished.set(true);
    closeChannel();
  }

  private void closeChannel() {
    try {
      channel.close();
    } catch (IOException e) {
      // Nothing left to release.
    }
  }
}
