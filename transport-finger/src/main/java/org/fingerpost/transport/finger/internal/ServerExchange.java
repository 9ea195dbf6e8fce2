package org.fingerpost.transport.finger.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.finger.FingerExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output side of one accepted finger connection and its life cycle: the {@link FingerExchange}
 * the handler writes the log into, and the termination (final message, output shutdown, abort).
 * {@link FingerServerConnection} reads the request and tells this exchange when the request was
 * accepted, rejected, or the client went away.
 *
 * <p><b>Writing.</b> One chunk in flight; no copy, no buffering of our own: the producer's buffer
 * goes straight to {@link EndPoint#write}, and the producer's {@code next} runs when the write
 * completed, which is what bounds the memory a slow reader can pin to one chunk.
 *
 * <p><b>Threads.</b> Any thread: state changes happen under {@code lock}; no I/O and no callback into
 * other code happens while holding it.
 */
final class ServerExchange implements FingerExchange {
  private static final Logger LOG = LoggerFactory.getLogger(ServerExchange.class);

  private final EndPoint endPoint;
  private final ServerSettings settings;
  private final String remoteAddress;
  /** Completes the current data write; blocking, as {@code next} may read a file: off selector threads. */
  private final Callback writeCallback = Callback.from(Invocable.InvocationType.BLOCKING,
      () -> writeFinished(true), x -> abort(x, "writing to the client failed"));

  private final Object lock = new Object();
  // Everything below is guarded by lock.
  private ExchangePhase phase = ExchangePhase.REQUEST;
  private Scheduler.Task deadline;
  private final CloseActions closeActions;
  private final PendingWrite write = new PendingWrite();
  private boolean finalPending; // CLOSING, waiting for the data write to finish before the final message
  private byte[] finalMessage;
  private boolean outputDone; // final message written, output shut down
  private long closingSince; // NanoTime when CLOSING began: the linger is counted from here

  ServerExchange(EndPoint endPoint, ServerSettings settings, String remoteAddress) {
    this.endPoint = endPoint;
    this.settings = settings;
    this.remoteAddress = remoteAddress;
    this.closeActions = new CloseActions(settings.name);
  }

  ExchangePhase phase() {
    synchronized (lock) {
      return phase;
    }
  }

  /** Schedules the request deadline (cancelled when the request phase ends), unless it ended already. */
  void armDeadline(Supplier<Scheduler.Task> schedule) {
    synchronized (lock) {
      if (phase == ExchangePhase.REQUEST) {
        deadline = schedule.get();
      }
    }
  }

  /** REQUEST to STREAMING; false if the request phase ended already (the deadline won the race). */
  boolean startStreaming() {
    synchronized (lock) {
      if (phase != ExchangePhase.REQUEST) {
        return false;
      }
      phase = ExchangePhase.STREAMING;
      cancelDeadline();
      return true;
    }
  }

  @Override
  public void onData(ByteBuffer chunk, Runnable next) {
    Objects.requireNonNull(chunk, "chunk");
    Objects.requireNonNull(next, "next");
    synchronized (lock) {
      if (phase != ExchangePhase.STREAMING) {
        return; // closed or ending: the producer learns it through onClose
      }
      write.start(next);
    }
    try {
      endPoint.write(writeCallback, chunk);
    } catch (Throwable x) {
      abort(x, "writing to the client failed");
      return;
    }
    writeFinished(false);
  }

  /** Called twice per chunk (see {@link PendingWrite}); the second call continues. */
  private void writeFinished(boolean fromCallback) {
    Runnable continuation = null;
    boolean writeFinal = false;
    byte[] message = null;
    synchronized (lock) {
      if (!write.finish(fromCallback)) {
        return;
      }
      Runnable n = write.takeNext();
      if (phase == ExchangePhase.STREAMING) {
        continuation = n;
      } else if (phase == ExchangePhase.CLOSING && finalPending) {
        finalPending = false;
        writeFinal = true;
        message = finalMessage;
      }
    }
    if (writeFinal) {
      writeFinal(message);
    } else if (continuation != null) {
      Trampoline.run(continuation);
    }
  }

  @Override
  public void onEnd() {
    terminate(null, false);
  }

  @Override
  public void onError(StreamException error) {
    LOG.debug("{}: stream to {} failed: {}", settings.name, remoteAddress, error.getMessage(), error);
    terminate(error.wireMessage().getBytes(StandardCharsets.UTF_8), false);
  }

  @Override
  public void fail(String wireMessage) {
    terminate(wireMessage.getBytes(StandardCharsets.UTF_8), false);
  }

  @Override
  public void onClose(Runnable action) {
    synchronized (lock) {
      if (closeActions.add(action)) {
        return;
      }
    }
    closeActions.runNow(action);
  }

  @Override
  public boolean isOpen() {
    synchronized (lock) {
      return phase == ExchangePhase.STREAMING;
    }
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  /**
   * Moves to CLOSING: no more data is accepted, the close actions run, then {@code message} (if any)
   * is written once no data write is pending, then the output is shut down.
   *
   * @param fromRequestOnly only act if the request line has not been accepted yet
   * @return whether this call ended the exchange
   */
  boolean terminate(byte[] message, boolean fromRequestOnly) {
    List<Runnable> actions;
    boolean writeNow;
    synchronized (lock) {
      if (fromRequestOnly ? phase != ExchangePhase.REQUEST : phase.compareTo(ExchangePhase.CLOSING) >= 0) {
        return false;
      }
      phase = ExchangePhase.CLOSING;
      closingSince = NanoTime.now();
      cancelDeadline();
      actions = closeActions.take();
      finalMessage = message;
      finalPending = write.writing();
      writeNow = !finalPending;
    }
    // Drop a client that takes nothing for the linger, not the long stalled-client timeout. Jetty checks
    // at once against the last I/O (long ago on a quiet stream): endsOnIdle counts from closingSince.
    endPoint.setIdleTimeout(settings.closeLinger.toMillis());
    closeActions.run(actions);
    if (writeNow) {
      writeFinal(message);
    }
    return true;
  }

  private void writeFinal(byte[] message) {
    if (message == null || message.length == 0) {
      shutdownOutput();
      return;
    }
    try {
      endPoint.write(Callback.from(Invocable.InvocationType.NON_BLOCKING, this::shutdownOutput,
          x -> abort(x, "writing the final message failed")), ByteBuffer.wrap(message));
    } catch (Throwable x) {
      abort(x, "writing the final message failed");
    }
  }

  private void shutdownOutput() {
    synchronized (lock) {
      if (phase == ExchangePhase.CLOSED) {
        return;
      }
      outputDone = true;
    }
    // The client has the linger time to read the last bytes and close its side (we keep reading
    // until it does): closing with unread input would reset the connection and could destroy the
    // last bytes in flight.
    endPoint.shutdownOutput();
    if (endPoint.isInputShutdown()) {
      endPoint.close();
    }
  }

  /** The client closed its side: abort a live exchange, finish closing one whose output is done. */
  void clientGone() {
    boolean streaming;
    boolean done;
    synchronized (lock) {
      streaming = phase == ExchangePhase.REQUEST || phase == ExchangePhase.STREAMING;
      done = outputDone;
    }
    if (streaming) {
      abort(null, "client disconnected");
    } else if (done) {
      endPoint.close();
    }
    // Otherwise CLOSING with the last write still pending: once it completes the output is shut
    // down and, the input being shut already, the endpoint closes.
  }

  /**
   * Whether an idle timeout ends this exchange: a data write stalled, or closing for the linger time
   * (not counting the quiet before). The request phase has its own deadline; a quiet stream is fine.
   */
  boolean endsOnIdle() {
    synchronized (lock) {
      return switch (phase) {
        case CLOSED -> true;
        case CLOSING -> NanoTime.millisSince(closingSince) >= settings.closeLinger.toMillis();
        case STREAMING -> write.writing();
        case REQUEST -> false;
      };
    }
  }

  /** Closes the socket at once; runs the close actions if they have not run yet. Idempotent. */
  void abort(Throwable cause, String why) {
    List<Runnable> actions;
    synchronized (lock) {
      if (phase == ExchangePhase.CLOSED) {
        return;
      }
      actions = markClosed();
    }
    LOG.debug("{}: closing connection from {}: {}", settings.name, remoteAddress, why,
        cause instanceof TimeoutException ? null : cause); // no stack trace for a timeout
    endPoint.close(cause);
    closeActions.run(actions);
  }

  /** The endpoint closed (Jetty's {@code onClose}): runs the close actions if they have not run. */
  void closed() {
    List<Runnable> actions;
    synchronized (lock) {
      actions = markClosed();
    }
    closeActions.run(actions);
  }

  /** Under lock: CLOSED, no deadline, no continuation; returns the close actions still to run. */
  private List<Runnable> markClosed() {
    phase = ExchangePhase.CLOSED;
    cancelDeadline();
    write.drop();
    return closeActions.take();
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
    }
  }
}
