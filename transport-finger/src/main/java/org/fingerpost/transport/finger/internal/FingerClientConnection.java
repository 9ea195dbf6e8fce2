package org.fingerpost.transport.finger.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.finger.FingerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client end of one finger stream: sends {@code <build id>\n}, then reads the log into one
 * pooled buffer and hands that very buffer to the stream's {@link LogSink}.
 *
 * <p><b>Backpressure.</b> After a chunk goes to the sink nothing is read until the sink runs {@code
 * next}. When {@code next} runs while {@code onData} is still on the stack (the sink's own write
 * completed at once) this thread simply reads again, without a selector round trip; otherwise {@code
 * next} registers read interest and Jetty calls {@link #onFillable} again. Either way at most one
 * chunk is outstanding and only one thread reads. (Reading on directly in a late {@code next} was
 * measured: no faster in a relay, and it would run reads on whatever thread the sink uses.)
 *
 * <p><b>Buffer.</b> The buffer comes from the client's {@link ByteBufferPool} and goes back only when
 * nobody can touch it any more: the connection is closed and the sink ran {@code next} for the last
 * chunk (a sink that never runs it leaves the buffer to the garbage collector instead, so a stale
 * writer can never see another stream's bytes).
 *
 * <p><b>Idle time.</b> A quiet upstream is normal (a silent build), so idle expiry is ignored; the
 * connect/handshake phase has its own deadline (see {@code FingerClient}) and dead peers are found
 * by TCP keepalive.
 */
public final class FingerClientConnection extends AbstractConnection {
  private static final Logger LOG = LoggerFactory.getLogger(FingerClientConnection.class);

  // Delivery states.
  private static final int DELIVERING = 0; // inside sink.onData
  private static final int RAN_INLINE = 1; // next ran before onData's caller looked again
  private static final int AWAITING = 2; // onFillable returned; next will resume reading
  private static final int RESUMED = 3;

  private final FingerClientStream stream;
  private final RetainableByteBuffer pooled;
  private final ByteBuffer buffer;
  /** Holders of the buffer: the open connection, a running onFillable, the sink's current chunk. */
  private final AtomicInteger bufferRefs = new AtomicInteger(1);

  public FingerClientConnection(EndPoint endPoint, Executor executor, FingerClientStream stream,
      ByteBufferPool pool, int bufferBytes) {
    super(endPoint, executor);
    this.stream = stream;
    this.pooled = pool.acquire(bufferBytes, true);
    // The pool rounds capacities up to its buckets: read at most bufferBytes, as configured.
    ByteBuffer whole = pooled.getByteBuffer().duplicate();
    whole.clear();
    whole.limit(Math.min(bufferBytes, whole.capacity()));
    this.buffer = whole.slice();
    BufferUtil.clear(buffer);
  }

  @Override
  public void onOpen() {
    super.onOpen();
    if (!stream.attach(this)) {
      getEndPoint().close();
      return;
    }
    StreamTarget target = stream.target();
    // The offset extension only ever goes to a peer that advertises it: a Zuul peer never sees one.
    long offset = target.capabilities().contains(StreamTarget.OFFSET_CAPABILITY) ? target.offset() : 0;
    int hops = target.capabilities().contains(StreamTarget.HOPS_CAPABILITY) ? target.hops() : 0;
    ByteBuffer request = ByteBuffer.wrap(FingerRequest.line(target.buildId(), offset, hops)
        .getBytes(StandardCharsets.US_ASCII));
    // A blocking-type callback: a failure reaches the sink, which is better called off the selector.
    getEndPoint().write(Callback.from(stream::requestSent,
        x -> stream.fail(StreamException.internal("Cannot send the request to " + stream.target(), x))), request);
    fillInterested();
  }

  @Override
  public void onFillable() {
    if (!retainBuffer()) {
      return;
    }
    try {
      while (!stream.isFinished()) {
        BufferUtil.clear(buffer);
        int filled = getEndPoint().fill(buffer);
        if (filled == 0) {
          fillInterested();
          return;
        }
        if (filled < 0) {
          stream.end();
          return;
        }
        Delivery delivery = new Delivery();
        bufferRefs.incrementAndGet(); // the sink's hold on the chunk; next releases it
        if (!stream.deliver(buffer, delivery)) {
          releaseBuffer();
          return;
        }
        if (delivery.compareAndSet(DELIVERING, AWAITING)) {
          return; // next will resume
        }
        // next already ran: the buffer is free again, read on.
      }
    } catch (Throwable x) {
      stream.fail(StreamException.internal("Reading from " + stream.target() + " failed", x));
    } finally {
      releaseBuffer();
    }
  }

  /** Reads on after the sink ran {@code next} late (not while onData was on the stack). */
  private void resume() {
    if (!stream.isFinished() && getEndPoint().isOpen()) {
      fillInterested();
    }
  }

  @Override
  public void onClose(Throwable cause) {
    super.onClose(cause);
    Throwable why = cause != null ? cause : stream.handshakeFailure();
    stream.fail(StreamException.internal("Connection to " + stream.target() + " closed", why));
    releaseBuffer();
  }

  @Override
  public boolean onIdleExpired(TimeoutException timeout) {
    return false; // see the class comment
  }

  @Override
  public void onFillInterestedFailed(Throwable cause) {
    stream.fail(StreamException.internal("Reading from " + stream.target() + " failed", cause));
    getEndPoint().close(cause);
  }

  private boolean retainBuffer() {
    while (true) {
      int refs = bufferRefs.get();
      if (refs <= 0) {
        return false;
      }
      if (bufferRefs.compareAndSet(refs, refs + 1)) {
        return true;
      }
    }
  }

  private void releaseBuffer() {
    if (bufferRefs.decrementAndGet() == 0) {
      LOG.trace("Releasing the buffer of {}", stream);
      pooled.release();
    }
  }

  @Override
  public String toConnectionString() {
    return String.format("%s@%x[%s]", getClass().getSimpleName(), hashCode(), stream.target());
  }

  /** The {@code next} of one chunk; runs at most once in effect. */
  private final class Delivery extends AtomicInteger implements Runnable {
    private static final long serialVersionUID = 1L;

    @Override
    public void run() {
      if (compareAndSet(DELIVERING, RAN_INLINE)) {
        releaseBuffer();
      } else if (compareAndSet(AWAITING, RESUMED)) {
        releaseBuffer();
        resume();
      }
    }
  }
}
