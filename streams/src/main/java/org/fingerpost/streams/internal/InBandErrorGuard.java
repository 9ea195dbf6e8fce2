package org.fingerpost.streams.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.StreamException;

/**
 * Keeps an upstream's in-band error text out of the log (issue 15: a websocket once showed {@code
 * Internal streaming error} as log text). A chunk that ends in such a text ({@link InBandErrors}) is
 * copied and held, and the upstream is let on at once so that its close can be seen: a close within
 * the grace period makes the text an {@link InBandErrors.Error} (the bytes before it are passed on
 * first); more data or the end of the grace passes the chunk on unchanged.
 *
 * <p><b>Threads.</b> Upstream calls are serial; the grace timer may pass a held chunk on concurrently
 * with them, so a call arriving while the held chunk is with the delegate waits for its {@code next}
 * (state under {@code this}). The delegate's calls stay serial.
 */
final class InBandErrorGuard implements LogSink {
  private final LogSink delegate;
  private final ScheduledExecutorService timers;
  private final Duration grace;
  /** Whether a whole first chunk may be a peer's answer (asked for an offset, or a resume). */
  private final boolean answers;
  private volatile boolean passedAny;
  // Guarded by this.
  private byte[] held;
  private int errorAt;
  private ScheduledFuture<?> timer;
  private boolean flushing;
  private Runnable afterFlush;

  InBandErrorGuard(LogSink delegate, ScheduledExecutorService timers, Duration grace, boolean answers) {
    this.delegate = delegate;
    this.timers = timers;
    this.grace = grace;
    this.answers = answers;
  }

  @Override
  public void onData(ByteBuffer chunk, Runnable next) {
    byte[] h;
    synchronized (this) {
      if (flushing) {
        afterFlush = () -> onData(chunk, next);
        return;
      }
      h = takeHeld();
    }
    if (h != null) {
      passOn(h, () -> onData(chunk, next));
      return;
    }
    int at = InBandErrors.errorStart(chunk, answers && !passedAny, !passedAny);
    if (at < 0) {
      passedAny = true;
      delegate.onData(chunk, next);
      return;
    }
    byte[] copy = new byte[chunk.remaining()];
    chunk.get(copy);
    synchronized (this) {
      held = copy;
      errorAt = at;
      timer = timers.schedule(this::graceOver, grace.toMillis(), TimeUnit.MILLISECONDS);
    }
    next.run(); // let the upstream report its close
  }

  @Override
  public void onEnd() {
    terminal(delegate::onEnd, null);
  }

  @Override
  public void onError(StreamException error) {
    terminal(() -> delegate.onError(error), error);
  }

  private void terminal(Runnable plain, StreamException error) {
    byte[] h;
    int at;
    synchronized (this) {
      if (flushing) {
        afterFlush = () -> terminal(plain, error);
        return;
      }
      at = errorAt;
      h = takeHeld();
    }
    if (h == null) {
      plain.run();
      return;
    }
    String text = new String(h, at, h.length - at, StandardCharsets.ISO_8859_1);
    if (at == 0 && InBandErrors.refusal(text)) {
      delegate.onError(new InBandErrors.Refusal(text));
      return;
    }
    Boolean gone = InBandErrors.classify(text);
    InBandErrors.Error inBand = new InBandErrors.Error(text, Boolean.TRUE.equals(gone));
    if (at == 0) {
      delegate.onError(inBand);
    } else {
      passOn(Arrays.copyOf(h, at), () -> delegate.onError(inBand));
    }
  }

  private void graceOver() {
    byte[] h;
    synchronized (this) {
      if (flushing) {
        return;
      }
      h = takeHeld();
    }
    if (h != null) {
      passOn(h, null);
    }
  }

  /** Passes held bytes on; {@code then} (and any call that arrived meanwhile) runs after its next. */
  private void passOn(byte[] bytes, Runnable then) {
    synchronized (this) {
      flushing = true;
    }
    passedAny = true;
    delegate.onData(ByteBuffer.wrap(bytes), () -> {
      Runnable waiting;
      synchronized (this) {
        flushing = false;
        waiting = afterFlush;
        afterFlush = null;
      }
      if (then != null) {
        then.run();
      }
      if (waiting != null) {
        waiting.run();
      }
    });
  }

  /** Takes the held chunk (null if none) and stops its timer; under the lock. */
  private byte[] takeHeld() {
    byte[] h = held;
    held = null;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    return h;
  }
}
