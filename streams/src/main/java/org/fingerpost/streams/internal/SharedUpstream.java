package org.fingerpost.streams.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One upstream stream of a build and the viewers riding it (the fan-out of {@link
 * org.fingerpost.streams.SharedStreams}, whose class comment states the window, slow-viewer and pace
 * rules implemented here). It starts at byte {@code base} of the log: 0 for a build's shared
 * upstream, a viewer's offset for a catch-up ({@link BuildFanOut}). It is the upstream's {@link
 * LogSink}: every chunk is copied once and queued for each rider, except past the window with a
 * single idle rider, which borrows the upstream's buffer.
 *
 * <p>A rider that cannot take a chunk that another rider took (more than its buffer behind) is
 * detached and handed to the {@link UpstreamOwner} with its position; when no rider can take it, all keep it
 * (one chunk over their buffer) and the upstream pauses, so that a lone rider is never left behind.
 *
 * <p><b>Threads.</b> All state is guarded by {@code this}; viewer sinks and the owner are never called
 * under it. Lock order: a catch-up before the upstream it merges into ({@link #mergeInto}). Upstream
 * callbacks arrive on the transport's threads.
 */
public final class SharedUpstream implements LogSink {
  private static final Logger LOG = LoggerFactory.getLogger(SharedUpstream.class);
  private static final long[] NONE_BEHIND = {};

  private final String buildId;
  private final long base;
  private final AtomicInteger gauge;
  private final UpstreamOwner owner;
  private final Riders riders = new Riders();
  private final ReplayWindow window;
  /** Set when the upstream ended, failed, merged or was closed: nobody may join any more. */
  private boolean finished;
  private LogStream stream;
  /** The upstream's {@code next}, held while every rider has more than half its buffer waiting. */
  private final HeldNext paused = new HeldNext();

  /**
   * @param base the log offset of the upstream's first byte
   * @param window the upstream's replay window, empty
   * @param gauge the count of open upstreams of this kind; incremented now, decremented when released
   */
  public SharedUpstream(String buildId, long base, ReplayWindow window, AtomicInteger gauge, UpstreamOwner owner) {
    this.buildId = buildId;
    this.base = base;
    this.window = window;
    this.gauge = gauge;
    this.owner = owner;
    gauge.incrementAndGet();
  }

  /** Opens the upstream into this sink (unless its viewers already left); once, with no lock held. */
  public void start(Function<LogSink, LogStream> opener) {
    if (isFinished()) {
      return;
    }
    LOG.debug("Build {}: opening an upstream from byte {}", buildId, base);
    LogStream opened = opener.apply(this);
    boolean closeNow;
    synchronized (this) {
      stream = opened;
      closeNow = finished;
    }
    if (closeNow) {
      opened.close();
    }
  }

  /** The log offset just past the last byte received. */
  public synchronized long position() {
    return base + window.received();
  }

  /**
   * How many bytes {@code rider} joining at {@code position} would wait before its first byte: 0
   * when the window replays it, the distance when this upstream is behind it; -1 when it cannot
   * join. The window is replayed only to a rider with room: one that just fell behind must not get
   * over its buffer again from a replay.
   */
  public synchronized long joinGap(Rider rider, long position) {
    if (finished) {
      return -1;
    }
    long at = position();
    if (position >= at) {
      return position - at;
    }
    return window.fromZero() && base <= position && rider.queue().hasRoom() ? 0 : -1;
  }

  /**
   * Attaches {@code rider} at log offset {@code position}: the bytes before it are skipped, the
   * window replayed when it holds them. The caller drains the rider's queue afterwards, with no lock.
   *
   * @return false when finished, or when the bytes at {@code position} are no longer in the window
   */
  public synchronized boolean join(Rider rider, long position) {
    if (joinGap(rider, position) < 0) {
      return false;
    }
    ViewerQueue queue = rider.queue();
    long at = position();
    if (position >= at) {
      queue.skip(position - at);
    } else {
      queue.skip(position - base);
      window.replay(chunk -> queue.add(chunk, false));
    }
    riders.add(rider, this);
    return true;
  }

  public synchronized boolean isFinished() {
    return finished;
  }

  /**
   * Detaches {@code rider}; the last one leaving closes the upstream.
   *
   * @return false when it did not ride this upstream
   */
  public boolean leave(Rider rider) {
    LogStream toClose;
    synchronized (this) {
      if (!riders.remove(rider, this)) {
        return false;
      }
      if (!riders.isEmpty() || finished) {
        return true;
      }
      markFinished();
      toClose = stream;
    }
    LOG.debug("Build {}: last viewer left, closing the upstream from byte {}", buildId, base);
    closeAndRelease(toClose);
    return true;
  }

  /**
   * Moves every rider onto {@code to} when this upstream has reached {@code to}'s position (at most
   * {@code slackBytes} past it: the riders skip those bytes there), then closes this one. Lock
   * order: this, then {@code to}.
   *
   * @return the riders moved; empty when the positions do not meet (nothing changed)
   */
  public List<Rider> mergeInto(SharedUpstream to, long slackBytes) {
    List<Rider> moved;
    LogStream toClose;
    synchronized (this) {
      synchronized (to) {
        long gap = position() - to.position();
        if (finished || to.finished || gap < 0 || gap > slackBytes) {
          return List.of();
        }
        moved = riders.moveTo(to.riders, to, gap);
        markFinished();
        toClose = stream;
      }
    }
    LOG.debug("Build {}: {} viewer(s) caught up from byte {} rejoin the shared tail", buildId, moved.size(), base);
    closeAndRelease(toClose);
    return moved;
  }

  /** Under the lock: nothing more is taken, and a finished upstream's window holds nothing (its gauge share goes). */
  private void markFinished() {
    finished = true;
    window.clear();
  }

  /** Closes the stream (null: none yet) and leaves the gauge and the owner; once, with no lock held, when finished. */
  private void closeAndRelease(LogStream toClose) {
    if (toClose != null) {
      toClose.close();
    }
    gauge.decrementAndGet();
    owner.released(this);
  }

  @Override
  public void onData(ByteBuffer chunk, Runnable next) {
    Rider sole = borrowingRider(chunk.remaining());
    if (sole != null) {
      sole.queue().deliverBorrowed(chunk, next);
      owner.advanced(this);
      return;
    }
    byte[] copy = new byte[chunk.remaining()];
    chunk.get(copy);
    List<Rider> behind;
    List<Rider> targets;
    long before;
    long[] behindAt;
    synchronized (this) {
      if (finished) {
        return;
      }
      before = position();
      window.add(copy.length, copy);
      targets = new ArrayList<>(riders.size());
      behind = riders.offer(copy, targets);
      behindAt = behind.isEmpty() ? NONE_BEHIND : new long[behind.size()]; // no allocation per chunk
      for (int i = 0; i < behindAt.length; i++) { // its offset takes what it still had to skip here
        behind.get(i).detach(this);
        behindAt[i] = before + behind.get(i).queue().takeSkip();
      }
    }
    boolean room = targets.isEmpty();
    for (Rider r : targets) {
      r.queue().drain();
      room |= r.queue().hasRoom();
    }
    for (int i = 0; i < behindAt.length; i++) {
      owner.fellBehind(this, behind.get(i), behindAt[i]);
    }
    owner.advanced(this);
    // Read on as fast as the fastest rider: slower ones fill their bounded queue and fall behind.
    if (room) {
      next.run();
      return;
    }
    paused.hold(next);
    // A rider may have caught up between the check and the pause.
    for (Rider r : targets) {
      if (r.queue().hasRoom()) {
        resume();
        return;
      }
    }
  }

  /**
   * The one rider that may take the upstream's own buffer without a copy, if any: past the window
   * (nobody can be replayed any more, nothing to keep) with a single idle rider, which is one stream
   * relayed exactly as without sharing. Accounts the chunk when it returns a rider.
   */
  private synchronized Rider borrowingRider(int bytes) {
    Rider sole = finished || !window.pastAfter(bytes) ? null : riders.soleBorrower();
    if (sole != null) {
      window.add(bytes, null);
    }
    return sole;
  }

  /** A rider caught up: lets the upstream read on if it was waiting. */
  public void resume() {
    paused.release();
  }

  @Override
  public void onEnd() {
    for (Rider r : finish()) {
      r.queue().end();
      r.release();
    }
  }

  @Override
  public void onError(StreamException error) {
    for (Rider r : finish()) {
      r.queue().fail(error);
      r.release();
    }
  }

  private List<Rider> finish() {
    List<Rider> all;
    synchronized (this) {
      if (finished) {
        return List.of();
      }
      markFinished();
      all = riders.detachAll(this);
    }
    closeAndRelease(null); // the stream ended by itself
    return all;
  }
}
