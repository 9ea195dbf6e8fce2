package org.fingerpost.webapp.internal;

import jakarta.websocket.CloseReason;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.fingerpost.streams.SharedChunkSink;
import org.fingerpost.streams.SlowViewerException;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.fingerpost.webapp.WebServices;
import org.fingerpost.webapp.WebSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One console-stream websocket once its request is accepted: receives the upstream log as a
 * {@link LogSink}, decodes it as UTF-8 and sends it as text messages, one send in flight at a time
 * (the portable rule of Jakarta's async remote).
 *
 * <p><b>Backpressure.</b> Decoded text waits in a queue bounded by {@code send_buffer_bytes}: while
 * the queue is within it, the upstream's {@code next} runs at once; beyond it, {@code next} is held
 * until the client drains the queue. A queue that stays full for {@code slow_client_timeout} closes
 * the websocket with {@link ConsoleCloses#TOO_SLOW} and its upstream: each websocket has its own
 * upstream, so a slow client only ever pauses its own stream.
 *
 * <p><b>Sharing.</b> Shared chunks are decoded once per node and queued by reference ({@link
 * SharedDecoding}); the node's {@link SendBudget} closes the slowest websockets ({@link
 * ConsoleCloses#OVER_BUDGET}). The code and reason of every close are {@link ConsoleCloses}'s.
 *
 * <p><b>Threads.</b> Sink calls come from transport threads, send completions from the container's,
 * timers from {@link WebServices#timers()}; state is guarded by {@code this}, and no I/O is started
 * while holding it.
 */
public final class ConsoleStream implements SharedChunkSink {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleStream.class);

  private final ConsoleSocket socket;
  private final WebServices services;
  private final WebSettings settings;
  private final String buildId;
  private final Utf8Decoder decoder = new Utf8Decoder();
  private final ConsoleFanout fanout;
  private final TextQueue queue;

  private boolean sending;
  /** Whether a message went out since the last ping tick: then the websocket is not idle. */
  private boolean sentSincePing;
  private boolean closed;
  private boolean dataSeen;
  private Runnable paused;
  private ScheduledFuture<?> stallTimer;
  private ScheduledFuture<?> pingTimer;
  private LogStream upstream;

  ConsoleStream(ConsoleSocket socket, WebServices services, ConsoleFanout fanout, String buildId) {
    this.socket = socket;
    this.services = services;
    this.settings = services.settings();
    this.buildId = buildId;
    this.fanout = fanout;
    this.queue = new TextQueue(fanout.budget());
  }

  /** Starts pinging and keeps {@code stream} to close when the websocket ends. */
  void attach(LogStream stream) {
    long ping = settings.pingInterval().toMillis();
    boolean close;
    synchronized (this) {
      upstream = stream;
      close = closed;
      if (!closed) {
        fanout.budget().register(this); // once closed, release() unregisters it
        pingTimer = services.timers().scheduleAtFixedRate(this::ping, ping, ping, TimeUnit.MILLISECONDS);
      }
    }
    if (close) {
      stream.close();
    }
  }

  @Override
  public void onData(ByteBuffer chunk, Runnable next) {
    long bytes = chunk.remaining();
    queueText(new SharedText(decoder.decode(chunk), bytes), next);
  }

  @Override
  public void onSharedChunk(byte[] chunk, Runnable next) {
    queueText(fanout.decoding().decode(chunk, decoder), next);
  }

  private void queueText(SharedText text, Runnable next) {
    boolean runNext;
    synchronized (this) {
      if (closed) {
        return;
      }
      dataSeen = true;
      if (!text.isEmpty()) {
        queue.addShared(text);
      }
      runNext = queue.queuedBytes() <= settings.sendBufferBytes();
      if (!runNext) {
        paused = next;
        stallTimer = services.timers().schedule(this::stalled, settings.slowClientTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
      }
    }
    pump();
    if (runNext) {
      next.run();
    }
  }

  @Override
  public void onEnd() {
    String tail = decoder.finish();
    finish(tail, ConsoleCloses.endOfLog());
  }

  @Override
  public void onError(StreamException error) {
    if (error instanceof SlowViewerException) {
      closeSlow(false, SlowViewerException.REASON, "fell too far behind the shared upstream");
      return;
    }
    boolean midStream;
    synchronized (this) {
      midStream = dataSeen;
    }
    if (midStream) {
      LOG.info("Build {}: upstream failed mid-stream: {}", buildId, error.getMessage());
    } else {
      LOG.debug("Build {} not streamed: {} ({})", buildId, error.wireMessage(), error.getMessage());
    }
    finish(midStream ? decoder.finish() : "", ConsoleCloses.streamFailed(error, midStream));
  }

  private void finish(String tail, CloseReason close) {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (!tail.isEmpty()) {
        queue.addText(tail, 0);
      }
      queue.addClose(close);
    }
    pump();
  }

  /** Sends the next queued item unless a send is in flight; merges queued text into one message. */
  private void pump() {
    TextQueue.Message message;
    CloseReason close;
    synchronized (this) {
      if (sending || closed || queue.isEmpty()) {
        return;
      }
      close = queue.takeClose();
      closed = close != null;
      sending = !closed;
      message = closed ? null : queue.takeMessage();
    }
    if (close != null) {
      stop(close);
      return;
    }
    socket.sendText(message, failure -> sent(message.bytes(), failure));
  }

  private void sent(long bytes, Throwable failure) {
    if (failure != null) {
      LOG.debug("Build {}: client went away: {}", buildId, failure.toString());
      clientGone();
      return;
    }
    Runnable resume = null;
    synchronized (this) {
      sending = false;
      sentSincePing = true;
      queue.sent(bytes);
      if (paused != null && queue.queuedBytes() <= settings.sendBufferBytes()) {
        resume = paused;
        paused = null;
        stallTimer.cancel(false);
      }
    }
    pump();
    if (resume != null) {
      resume.run();
    }
  }

  /** The send buffer stayed full for the whole timeout: the client does not read fast enough. */
  private void stalled() {
    closeSlow(true, "Client too slow: send buffer full for " + settings.slowClientTimeout().toMillis() + " ms",
        "does not keep up (send buffer full for " + settings.slowClientTimeout() + ")");
  }

  /** The node's send buffers are over budget and this websocket has the most waiting: close at once. */
  void overBudget() {
    closeSlow(false, ConsoleCloses.OVER_BUDGET, "has the most bytes waiting while the send buffers are over budget");
  }

  /** Log bytes waiting to be sent to this websocket. */
  synchronized long queuedBytes() {
    return queue.queuedBytes();
  }

  /** Closes with {@link ConsoleCloses#TOO_SLOW}, dropping what waits ({@code onlyIfPaused}: unless it caught up). */
  private void closeSlow(boolean onlyIfPaused, String reasonText, String why) {
    synchronized (this) {
      if (closed || (onlyIfPaused && paused == null)) {
        return;
      }
      closed = true;
      queue.clear();
      paused = null;
    }
    services.slowClients().increment();
    LOG.info("Build {}: closing a websocket that {}", buildId, why);
    CloseReason reason = ConsoleCloses.tooSlow(reasonText);
    // Off the timer thread: some containers (Tomcat) write the close frame synchronously.
    try {
      services.lookups().execute(() -> stop(reason));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      stop(reason);
    }
  }

  /**
   * Pings only an idle websocket, one that sent nothing for a whole interval: flowing data keeps proxies
   * awake, and a ping never queues behind it.
   */
  private void ping() {
    synchronized (this) {
      boolean idle = !sentSincePing;
      sentSincePing = false;
      if (closed || sending || !idle) {
        return;
      }
    }
    socket.sendPing();
  }

  /** The client closed or broke the websocket: free the upstream and the timers. */
  void clientGone() {
    synchronized (this) {
      closed = true;
      queue.clear();
      paused = null;
    }
    release();
  }

  private void stop(CloseReason reason) {
    release();
    socket.close(reason);
  }

  private void release() {
    fanout.budget().unregister(this);
    LogStream u;
    synchronized (this) {
      u = upstream;
      upstream = null;
      if (pingTimer != null) {
        pingTimer.cancel(false);
      }
      if (stallTimer != null) {
        stallTimer.cancel(false);
      }
    }
    if (u != null) {
      u.close();
    }
  }
}
