package org.fingerpost.transport.finger.internal;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.Consumer;
import org.eclipse.jetty.util.thread.Scheduler;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream opened by a finger client: the {@link LogStream} handle its owner holds, and the guard
 * that enforces the {@link LogSink} rules on the way to the sink.
 *
 * <p>Guarantees: sink calls never overlap (a terminal event that happens while {@code onData} runs is
 * delivered after it returns); exactly one of {@code onEnd}/{@code onError}; nothing after {@link
 * #close()} except a call already under way.
 *
 * <p>Thread-safe: the connection's threads, timers and the owner call in concurrently; state changes
 * happen under {@code lock}, sink calls outside it.
 */
public final class FingerClientStream implements LogStream {
  private static final Logger LOG = LoggerFactory.getLogger(FingerClientStream.class);

  private enum State { OPEN, DONE, CLOSED }

  private final StreamTarget target;
  private final LogSink sink;
  private final Consumer<FingerClientStream> onFinished;

  private final Object lock = new Object();
  // Guarded by lock.
  private State state = State.OPEN;
  private boolean inSink;
  private Runnable pendingTerminal;
  private Scheduler.Task deadline;
  private FingerClientConnection connection;
  private boolean finishedNotified;

  /** @param onFinished called once when the stream ends or is closed (the client forgets it); nullable */
  public FingerClientStream(StreamTarget target, LogSink sink, Consumer<FingerClientStream> onFinished) {
    this.target = Objects.requireNonNull(target, "target");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.onFinished = onFinished;
  }

  public StreamTarget target() {
    return target;
  }

  /** Arms the timer that fails the stream unless the request was sent by then. */
  public void deadline(Scheduler.Task task) {
    synchronized (lock) {
      if (state == State.OPEN) {
        deadline = task;
        return;
      }
    }
    task.cancel();
  }

  /** Whether the owner closed it or it ended: no more data is wanted. */
  public boolean isFinished() {
    synchronized (lock) {
      return state != State.OPEN;
    }
  }

  /**
   * Binds the connection once it is open.
   *
   * @return false when the stream is already finished: the caller closes the connection
   */
  boolean attach(FingerClientConnection c) {
    synchronized (lock) {
      if (state != State.OPEN) {
        return false;
      }
      connection = c;
      return true;
    }
  }

  /** The request line was written: the connect/handshake deadline no longer applies. */
  void requestSent() {
    synchronized (lock) {
      cancelDeadline();
    }
  }

  /**
   * Passes a chunk to the sink.
   *
   * @return false when the stream is finished and the chunk was not delivered
   */
  boolean deliver(ByteBuffer chunk, Runnable next) {
    synchronized (lock) {
      if (state != State.OPEN) {
        return false;
      }
      inSink = true;
    }
    try {
      sink.onData(chunk, next);
    } catch (Throwable x) {
      LOG.warn("Log sink for {} failed", target, x);
      fail(StreamException.internal("Log sink failed on data from " + target, x));
    } finally {
      Runnable terminal;
      synchronized (lock) {
        inSink = false;
        terminal = pendingTerminal;
        pendingTerminal = null;
      }
      if (terminal != null) {
        terminal.run();
      }
    }
    return true;
  }

  /** The upstream closed the stream normally. */
  void end() {
    terminal(() -> sink.onEnd(), "end of stream");
  }

  /** The stream could not be opened or broke; reported once, unless it already ended. */
  /** Why the TLS handshake failed, if it did; the connection reports it when it closes. */
  private volatile Throwable handshakeFailure;

  /** Remembers why the TLS handshake failed (called by the SSL layer before it closes). */
  public void handshakeFailed(Throwable failure) {
    handshakeFailure = failure;
  }

  /** The TLS handshake failure, or null. */
  public Throwable handshakeFailure() {
    return handshakeFailure;
  }

  public void fail(StreamException error) {
    terminal(() -> sink.onError(error), error.getMessage());
  }

  private void terminal(Runnable sinkCall, String why) {
    synchronized (lock) {
      if (state != State.OPEN) {
        return;
      }
      state = State.DONE;
      cancelDeadline();
      if (inSink) {
        // Never overlap with onData: deliver() runs it as soon as the sink returns.
        pendingTerminal = () -> finish(sinkCall, why);
        return;
      }
    }
    finish(sinkCall, why);
  }

  private void finish(Runnable sinkCall, String why) {
    LOG.debug("Finger stream {} finished: {}", target, why);
    closeConnection();
    synchronized (lock) {
      if (state == State.CLOSED) {
        return; // the owner closed it in the meantime: no more callbacks
      }
    }
    try {
      sinkCall.run();
    } catch (Throwable x) {
      LOG.warn("Log sink for {} failed at the end of the stream", target, x);
    }
    notifyFinished();
  }

  /** Closes the socket at once; the sink hears nothing more. Idempotent, non-blocking. */
  @Override
  public void close() {
    synchronized (lock) {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      pendingTerminal = null;
      cancelDeadline();
    }
    LOG.debug("Finger stream {} closed by its owner", target);
    closeConnection();
    notifyFinished();
  }

  private void closeConnection() {
    FingerClientConnection c;
    synchronized (lock) {
      c = connection;
    }
    if (c != null) {
      c.getEndPoint().close();
    }
  }

  private void notifyFinished() {
    synchronized (lock) {
      if (finishedNotified) {
        return;
      }
      finishedNotified = true;
    }
    if (onFinished != null) {
      onFinished.accept(this);
    }
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel();
      deadline = null;
    }
  }

  @Override
  public String toString() {
    return "FingerClientStream[" + target + "]";
  }
}
