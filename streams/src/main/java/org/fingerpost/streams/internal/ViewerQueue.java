package org.fingerpost.streams.internal;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.fingerpost.streams.SharedChunkSink;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.StreamException;

/**
 * The bytes one viewer of a shared stream still has to receive, delivered to its sink one chunk at a
 * time with the {@link LogSink} backpressure rules.
 *
 * <p><b>Threads.</b> {@link #add}, {@link #end}, {@link #fail} and {@link #cancel} may be called
 * from any thread; the sink calls are serial (a work-in-progress counter makes one thread at a time
 * deliver, without recursion when the sink runs {@code next} synchronously). Chunks are shared,
 * read-only arrays: each delivery wraps them in a fresh buffer.
 */
public final class ViewerQueue {
  private final LogSink sink;
  private final long limitBytes;
  private final long resumeBytes;
  private final Runnable caughtUp;
  private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
  private final AtomicInteger wip = new AtomicInteger();
  private long pendingBytes;
  private boolean writing;
  /** Set once: what ends the stream after the pending bytes (null: still open). */
  private Runnable terminal;
  private boolean cancelled;
  /**
   * Bytes still to drop before queuing: how a viewer joins a stream that is behind its position
   * (a catch-up rejoining the shared tail, a viewer starting at an offset).
   */
  private long skip;

  /**
   * @param limitBytes most bytes that may wait for this viewer before {@link #add} refuses
   * @param caughtUp run (with no lock held) each time a chunk was written and at most half of {@code
   *     limitBytes} still wait: the shared upstream may read on
   */
  public ViewerQueue(LogSink sink, long limitBytes, Runnable caughtUp) {
    this.sink = sink;
    this.limitBytes = limitBytes;
    this.resumeBytes = limitBytes / 2;
    this.caughtUp = caughtUp;
  }

  /** Whether at most half the limit waits, so that this viewer can take more at once. */
  public synchronized boolean hasRoom() {
    return pendingBytes <= resumeBytes;
  }

  /**
   * Queues {@code chunk} (not copied: never modify it afterwards) without delivering it: the caller
   * runs {@link #drain()} once it holds no lock of its own, so that sinks are never called under it.
   *
   * @param counted whether the chunk counts against the limit (history replayed to a joiner does not)
   * @return false when the viewer is too far behind: nothing was queued
   */
  public boolean add(byte[] chunk, boolean counted) {
    synchronized (this) {
      if (cancelled || terminal != null) {
        return true;
      }
      int dropped = (int) Math.min(skip, chunk.length);
      int kept = chunk.length - dropped;
      if (counted && kept > 0 && pendingBytes + kept > limitBytes) {
        return false;
      }
      skip -= dropped;
      if (kept == 0) {
        return true;
      }
      byte[] queued = dropped == 0 ? chunk : Arrays.copyOfRange(chunk, dropped, chunk.length);
      pending.add(queued);
      pendingBytes += kept;
    }
    return true;
  }

  /** Drops the next {@code bytes} bytes {@link #add}ed (on top of any skip still pending). */
  public synchronized void skip(long bytes) {
    skip += bytes;
  }

  /** Bytes {@link #add} still drops before it queues again. */
  public synchronized long skipLeft() {
    return skip;
  }

  /**
   * Returns the bytes {@link #add} still had to drop and drops none any more: for a viewer leaving
   * the stream it skipped on, whose next stream is joined at its own offset.
   */
  public synchronized long takeSkip() {
    long s = skip;
    skip = 0;
    return s;
  }

  /** Whether the viewer went away or its stream ended: nothing more will be delivered. */
  public synchronized boolean isDone() {
    return cancelled || terminal != null;
  }

  /**
   * Reserves the viewer for one borrowed chunk when nothing waits and no write is in flight: the
   * caller then passes the chunk straight to {@link #deliverBorrowed}, without a copy. Call it while
   * no other chunk can be added (under the shared stream's lock).
   *
   * @return false when the viewer is busy, ended or cancelled: queue a copy instead
   */
  public synchronized boolean tryBorrow() {
    if (cancelled || terminal != null || writing || !pending.isEmpty() || skip > 0) {
      return false;
    }
    writing = true;
    return true;
  }

  /**
   * Delivers {@code chunk} (the upstream's own buffer) after a successful {@link #tryBorrow}; {@code
   * next} (the upstream's) runs once the sink is done with it, so that the upstream only reuses its
   * buffer after the write. Call with no lock held.
   */
  public void deliverBorrowed(ByteBuffer chunk, Runnable next) {
    sink.onData(chunk, () -> {
      synchronized (this) {
        writing = false;
      }
      drain(); // a terminal event may have arrived meanwhile
      next.run();
    });
  }

  /** Ends the stream normally once the queued bytes are delivered. */
  public void end() {
    terminate(sink::onEnd);
  }

  /** Ends the stream with {@code error} once the queued bytes are delivered. */
  public void fail(StreamException error) {
    terminate(() -> sink.onError(error));
  }

  /** Fails at once, dropping what is queued (the viewer is too slow to wait for). */
  public void failNow(StreamException error) {
    synchronized (this) {
      pending.clear();
      pendingBytes = 0;
    }
    fail(error);
  }

  /** The viewer went away: no further sink call. */
  public void cancel() {
    synchronized (this) {
      cancelled = true;
      pending.clear();
      pendingBytes = 0;
    }
  }

  private void terminate(Runnable action) {
    synchronized (this) {
      if (terminal != null || cancelled) {
        return;
      }
      terminal = action;
    }
    drain();
  }

  /** Delivers what is queued, as far as the sink's backpressure allows. Call with no lock held. */
  public void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    do {
      while (true) {
        byte[] chunk;
        Runnable end = null;
        synchronized (this) {
          if (writing || cancelled) {
            break;
          }
          chunk = pending.poll();
          if (chunk == null) {
            if (terminal == null) {
              break;
            }
            end = terminal;
            cancelled = true;
          } else {
            pendingBytes -= chunk.length;
            writing = true;
          }
        }
        if (end != null) {
          end.run();
          break;
        }
        if (sink instanceof SharedChunkSink shared) {
          shared.onSharedChunk(chunk, this::written); // the shared array itself: see SharedChunkSink
        } else {
          sink.onData(ByteBuffer.wrap(chunk), this::written);
        }
      }
    } while (wip.decrementAndGet() != 0);
  }

  private void written() {
    boolean room;
    synchronized (this) {
      writing = false;
      room = !cancelled && pendingBytes <= resumeBytes;
    }
    drain();
    if (room) {
      caughtUp.run();
    }
  }
}
