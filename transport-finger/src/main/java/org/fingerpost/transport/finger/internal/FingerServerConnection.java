package org.fingerpost.transport.finger.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.finger.FingerExchange;
import org.fingerpost.transport.finger.FingerProtocolException;
import org.fingerpost.transport.finger.FingerRequest;
import org.fingerpost.transport.finger.InvalidRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted finger connection: reads the request line (bounded in size and time), hands the
 * parsed request to the server's handler and is then the {@link FingerExchange} the handler writes
 * the log into.
 *
 * <p><b>Reading.</b> Jetty calls {@link #onFillable} on a pool thread whenever the client sent
 * bytes; the request line may arrive in any number of pieces. After the request the connection keeps
 * reading (and discards what it reads) so that a client that goes away is noticed at once.
 *
 * <p><b>Writing.</b> One chunk in flight; no copy, no buffering of our own: the producer's buffer
 * goes straight to {@link EndPoint#write}, and the producer's {@code next} runs when the write
 * completed, which is what bounds the memory a slow reader can pin to one chunk.
 *
 * <p><b>Idle time.</b> The endpoint's idle timeout (the connector's, see {@link
 * org.fingerpost.transport.finger.FingerServer.Builder#stalledClientTimeout}) only drops a client that has not taken any byte of a
 * pending write for that long. A stream with nothing to write (a quiet build) never idles out; the
 * request phase is bounded by the request deadline instead.
 *
 * <p><b>Threads.</b> State changes happen under {@code lock}; no I/O and no callback into other code
 * happens while holding it.
 */
public final class FingerServerConnection extends AbstractConnection implements FingerExchange {
  private static final Logger LOG = LoggerFactory.getLogger(FingerServerConnection.class);

  private enum Phase {
    /** Waiting for the request line. */
    REQUEST,
    /** The handler owns the exchange and may write. */
    STREAMING,
    /** Terminal call made or request rejected: the last bytes are written, then the output shut. */
    CLOSING,
    /** The socket is closed (or being closed). */
    CLOSED
  }

  private final ServerSettings settings;
  private final Scheduler scheduler;
  private final String remoteAddress;
  /** Request line bytes, then scratch space for discarded input; only touched by onFillable. */
  private final ByteBuffer input;
  private final WriteCallback writeCallback = new WriteCallback();
  /** How many bytes of {@code input} were already searched for the newline; onFillable only. */
  private int scanned;

  private final Object lock = new Object();
  // Everything below is guarded by lock.
  private Phase phase = Phase.REQUEST;
  private Scheduler.Task deadline;
  private List<Runnable> closeActions = new ArrayList<>(2); // null once they ran
  private boolean writing; // a data chunk is being written
  private boolean writeReturned; // EndPoint.write for that chunk returned to onData
  private boolean completedEarly; // the chunk's write completed before EndPoint.write returned
  private Runnable next; // the producer's continuation for that chunk
  private boolean finalPending; // CLOSING, waiting for the data write to finish before the final message
  private byte[] finalMessage;
  private boolean outputDone; // final message written, output shut down

  public FingerServerConnection(EndPoint endPoint, Executor executor, Scheduler scheduler,
      ServerSettings settings) {
    super(endPoint, executor);
    this.settings = settings;
    this.scheduler = scheduler;
    this.remoteAddress = Addresses.format(endPoint.getRemoteSocketAddress());
    this.input = BufferUtil.allocate(settings.maxLineBytes);
  }

  @Override
  public void onOpen() {
    super.onOpen();
    settings.connections.add(this);
    synchronized (lock) {
      if (phase == Phase.REQUEST) {
        deadline = scheduler.schedule(this::onRequestTimeout, settings.requestTimeout.toNanos(),
            TimeUnit.NANOSECONDS);
      }
    }
    fillInterested();
  }

  @Override
  public void onFillable() {
    try {
      while (true) {
        Phase p;
        synchronized (lock) {
          p = phase;
        }
        if (p == Phase.CLOSED) {
          return;
        }
        int filled;
        if (p == Phase.REQUEST) {
          filled = getEndPoint().fill(input);
          if (filled > 0) {
            scanRequest();
            continue;
          }
        } else {
          // After the request line: whatever the client sends is not for us.
          BufferUtil.clear(input);
          filled = getEndPoint().fill(input);
          if (filled > 0) {
            continue;
          }
        }
        if (filled == 0) {
          fillInterested();
        } else {
          onClientEof();
        }
        return;
      }
    } catch (Throwable x) {
      abort(x, "reading from the client failed");
    }
  }

  private void scanRequest() {
    int limit = input.limit();
    for (int i = input.position() + scanned; i < limit; i++) {
      if (input.get(i) == '\n') {
        byte[] line = new byte[i - input.position()];
        input.get(input.position(), line);
        BufferUtil.clear(input);
        onRequestLine(line);
        return;
      }
    }
    scanned = input.remaining();
    if (input.remaining() >= settings.maxLineBytes) {
      reject(InvalidRequest.LINE_TOO_LONG, settings.requestErrorMessage,
          "no newline within " + settings.maxLineBytes + " bytes");
    }
  }

  private void onRequestLine(byte[] line) {
    FingerRequest request;
    try {
      request = FingerRequest.parse(new String(line, StandardCharsets.UTF_8));
    } catch (FingerProtocolException e) {
      reject(InvalidRequest.INVALID_BUILD_ID, e.wireMessage().getBytes(StandardCharsets.UTF_8),
          e.wireMessage());
      return;
    }
    synchronized (lock) {
      if (phase != Phase.REQUEST) {
        return; // the deadline won the race
      }
      phase = Phase.STREAMING;
      cancelDeadline();
    }
    LOG.debug("{}: {} requested build {}", settings.name, remoteAddress, request.buildId());
    try {
      settings.handler.handle(request, this);
    } catch (Throwable x) {
      LOG.warn("{}: handler failed for build {} requested by {}", settings.name, request.buildId(),
          remoteAddress, x);
      terminate(settings.requestErrorMessage, false);
    }
  }

  private void onRequestTimeout() {
    reject(InvalidRequest.TIMEOUT, settings.requestErrorMessage,
        "no complete request line within " + settings.requestTimeout.toMillis() + " ms");
  }

  private void reject(InvalidRequest reason, byte[] message, String why) {
    if (!terminate(message, true)) {
      return;
    }
    LOG.debug("{}: invalid request from {} ({}): {}", settings.name, remoteAddress, reason, why);
    if (settings.onInvalidRequest != null) {
      try {
        settings.onInvalidRequest.accept(reason);
      } catch (Throwable x) {
        LOG.warn("{}: invalid-request hook failed", settings.name, x);
      }
    }
  }

  private void onClientEof() {
    boolean streaming;
    boolean done;
    synchronized (lock) {
      streaming = phase == Phase.REQUEST || phase == Phase.STREAMING;
      done = outputDone;
    }
    if (streaming) {
      abort(null, "client disconnected");
    } else if (done) {
      getEndPoint().close();
    }
    // Otherwise CLOSING with the last write still pending: once it completes the output is shut
    // down and, the input being shut already, the endpoint closes.
  }

  // ---- FingerExchange -------------------------------------------------------------------------

  @Override
  public void onData(ByteBuffer chunk, Runnable next) {
    Objects.requireNonNull(chunk, "chunk");
    Objects.requireNonNull(next, "next");
    synchronized (lock) {
      if (phase != Phase.STREAMING) {
        return; // closed or ending: the producer learns it through onClose
      }
      if (writing) {
        throw new IllegalStateException("onData before the previous chunk's next ran");
      }
      writing = true;
      writeReturned = false;
      completedEarly = false;
      this.next = next;
    }
    try {
      getEndPoint().write(writeCallback, chunk);
    } catch (Throwable x) {
      abort(x, "writing to the client failed");
      return;
    }
    writeFinished(false);
  }

  /**
   * Called twice per chunk: when {@link EndPoint#write} returned ({@code fromCallback} false) and
   * when the write completed. The second of the two continues, so that a write completing inline
   * does not run {@code next} inside {@code onData} (which would recurse through the producer).
   */
  private void writeFinished(boolean fromCallback) {
    Runnable continuation = null;
    boolean writeFinal = false;
    byte[] message = null;
    synchronized (lock) {
      if (fromCallback && !writeReturned) {
        completedEarly = true;
        return;
      }
      if (!fromCallback) {
        writeReturned = true;
        if (!completedEarly) {
          return;
        }
      }
      writing = false;
      Runnable n = next;
      next = null;
      if (phase == Phase.STREAMING) {
        continuation = n;
      } else if (phase == Phase.CLOSING && finalPending) {
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
    Objects.requireNonNull(action, "action");
    synchronized (lock) {
      if (closeActions != null) {
        closeActions.add(action);
        return;
      }
    }
    runAction(action);
  }

  @Override
  public boolean isOpen() {
    synchronized (lock) {
      return phase == Phase.STREAMING;
    }
  }

  @Override
  public String remoteAddress() {
    return remoteAddress;
  }

  // ---- closing --------------------------------------------------------------------------------

  /**
   * Moves to CLOSING: no more data is accepted, the close actions run, then {@code message} (if any)
   * is written once no data write is pending, then the output is shut down.
   *
   * @param fromRequestOnly only act if the request line has not been accepted yet
   * @return whether this call ended the exchange
   */
  private boolean terminate(byte[] message, boolean fromRequestOnly) {
    List<Runnable> actions;
    boolean writeNow;
    synchronized (lock) {
      if (fromRequestOnly ? phase != Phase.REQUEST : phase == Phase.CLOSING || phase == Phase.CLOSED) {
        return false;
      }
      phase = Phase.CLOSING;
      cancelDeadline();
      actions = takeCloseActions();
      finalMessage = message;
      finalPending = writing;
      writeNow = !writing;
    }
    // From now on a client that takes nothing for the linger time is dropped: a rejected or ended
    // connection must not hold a socket for the (long) stalled-client timeout.
    getEndPoint().setIdleTimeout(settings.closeLinger.toMillis());
    runActions(actions);
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
      getEndPoint().write(Callback.from(Invocable.InvocationType.NON_BLOCKING, this::shutdownOutput,
          x -> abort(x, "writing the final message failed")), ByteBuffer.wrap(message));
    } catch (Throwable x) {
      abort(x, "writing the final message failed");
    }
  }

  private void shutdownOutput() {
    synchronized (lock) {
      if (phase == Phase.CLOSED) {
        return;
      }
      outputDone = true;
    }
    EndPoint endPoint = getEndPoint();
    // The client has the linger time to read the last bytes and close its side (we keep reading
    // until it does): closing with unread input would reset the connection and could destroy the
    // last bytes in flight.
    endPoint.shutdownOutput();
    if (endPoint.isInputShutdown()) {
      endPoint.close();
    }
  }

  /** Closes the socket at once; runs the close actions if they have not run yet. Idempotent. */
  private void abort(Throwable cause, String why) {
    List<Runnable> actions;
    synchronized (lock) {
      if (phase == Phase.CLOSED) {
        return;
      }
      phase = Phase.CLOSED;
      cancelDeadline();
      actions = takeCloseActions();
      next = null;
    }
    if (cause == null || cause instanceof TimeoutException) {
      LOG.debug("{}: closing connection from {}: {}", settings.name, remoteAddress, why);
    } else {
      LOG.debug("{}: closing connection from {}: {}", settings.name, remoteAddress, why, cause);
    }
    getEndPoint().close(cause);
    runActions(actions);
  }

  @Override
  public void onClose(Throwable cause) {
    List<Runnable> actions;
    synchronized (lock) {
      phase = Phase.CLOSED;
      cancelDeadline();
      actions = takeCloseActions();
      next = null;
    }
    settings.connections.remove(this);
    runActions(actions);
    super.onClose(cause);
  }

  @Override
  public boolean onIdleExpired(TimeoutException timeout) {
    Phase p;
    boolean stalled;
    synchronized (lock) {
      p = phase;
      stalled = writing;
    }
    if (p == Phase.REQUEST || (p == Phase.STREAMING && !stalled)) {
      return false; // the request deadline governs the first phase; a quiet stream is fine
    }
    if (p == Phase.STREAMING) {
      LOG.info("{}: dropping client {}: it accepted no byte for {} ms", settings.name, remoteAddress,
          getEndPoint().getIdleTimeout());
    }
    abort(timeout, "idle timeout");
    return false;
  }

  @Override
  public void onFillInterestedFailed(Throwable cause) {
    abort(cause, "reading from the client failed");
  }

  /** Called by the server when it stops. */
  public void shutdown() {
    abort(null, "server stopping");
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
    }
  }

  private List<Runnable> takeCloseActions() {
    List<Runnable> actions = closeActions;
    closeActions = null;
    return actions;
  }

  private void runActions(List<Runnable> actions) {
    if (actions != null) {
      for (Runnable action : actions) {
        runAction(action);
      }
    }
  }

  private void runAction(Runnable action) {
    try {
      action.run();
    } catch (Throwable x) {
      LOG.warn("{}: close action failed", settings.name, x);
    }
  }

  @Override
  public String toConnectionString() {
    Phase p;
    synchronized (lock) {
      p = phase;
    }
    return String.format("%s@%x[%s,%s]", getClass().getSimpleName(), hashCode(), remoteAddress, p);
  }

  /** Completes the current data write; see {@link #writeFinished}. */
  private final class WriteCallback implements Callback {
    @Override
    public void succeeded() {
      writeFinished(true);
    }

    @Override
    public void failed(Throwable x) {
      abort(x, "writing to the client failed");
    }

    @Override
    public InvocationType getInvocationType() {
      // next may do short blocking work (the streamer reads its file): keep it off selector threads.
      return InvocationType.BLOCKING;
    }
  }
}
