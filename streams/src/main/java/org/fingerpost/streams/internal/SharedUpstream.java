package org.fingerpost.streams.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.fingerpost.streams.SlowViewerException;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared upstream stream of a build and its viewers (the fan-out of {@link
 * org.fingerpost.streams.SharedStreams}, whose class comment states the window, slow-viewer and pace
 * rules implemented here). It is the upstream's {@link LogSink}: every chunk is copied once and
 * queued for each viewer, except past the window with a single idle viewer, which borrows the
 * upstream's buffer.
 *
 * <p><b>Threads.</b> All state is guarded by {@code this}; viewer sinks are never called under it.
 * Upstream callbacks arrive on the transport's threads.
 */
public final class SharedUpstream implements LogSink {
  private static final Logger LOG = LoggerFactory.getLogger(SharedUpstream.class);

  /** The owner's counters, and how it lets go of a finished upstream. */
  public record Owner(AtomicInteger upstreams, AtomicInteger viewers, AtomicLong dropped,
      Consumer<SharedUpstream> released) {}

  private final String buildId;
  private final long viewerBufferBytes;
  private final Owner owner;
  private final List<ViewerQueue> viewers = new ArrayList<>();
  private final ReplayWindow window;
  /** Set when the upstream ended, failed or was closed: nobody may join any more. */
  private boolean finished;
  private LogStream stream;
  /** The upstream's {@code next}, held while every viewer has more than half its buffer waiting. */
  private Runnable paused;

  public SharedUpstream(String buildId, long windowBytes, long viewerBufferBytes, Owner owner) {
    this.buildId = buildId;
    this.window = new ReplayWindow(windowBytes);
    this.viewerBufferBytes = viewerBufferBytes;
    this.owner = owner;
  }

  /** Opens the upstream into this sink; called once, by the viewer that created it. */
  public void start(Function<LogSink, LogStream> opener) {
    owner.upstreams().incrementAndGet();
    LOG.debug("Build {}: opening the shared upstream", buildId);
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

  /**
   * Attaches a viewer, replaying the window into its queue first.
   *
   * @return false when finished, or when the viewer would need bytes no longer in the window
   */
  public synchronized boolean join(ViewerQueue queue) {
    if (finished || !window.fromZero()) {
      return false;
    }
    window.replay(chunk -> queue.add(chunk, false));
    viewers.add(queue);
    return true;
  }

  public synchronized boolean isFinished() {
    return finished;
  }

  /** The viewer's handle: closing it detaches the viewer (and closes the upstream after the last). */
  public LogStream handle(ViewerQueue queue) {
    return () -> {
      queue.cancel();
      leave(queue);
    };
  }

  private void leave(ViewerQueue queue) {
    LogStream toClose = null;
    synchronized (this) {
      if (!viewers.remove(queue)) {
        return;
      }
      owner.viewers().decrementAndGet();
      if (viewers.isEmpty() && !finished) {
        finished = true;
        toClose = stream;
        release();
      }
    }
    if (toClose != null) {
      LOG.debug("Build {}: last viewer left, closing the shared upstream", buildId);
      toClose.close();
    }
  }

  /** Leaves the owner's map and gauge; called once, under the lock, when finished. */
  private void release() {
    owner.released().accept(this);
    owner.upstreams().decrementAndGet();
  }

  @Override
  public void onData(ByteBuffer chunk, Runnable next) {
    ViewerQueue sole = borrowingViewer(chunk.remaining());
    if (sole != null) {
      sole.deliverBorrowed(chunk, next);
      return;
    }
    byte[] copy = new byte[chunk.remaining()];
    chunk.get(copy);
    List<ViewerQueue> slow = new ArrayList<>(0);
    List<ViewerQueue> targets;
    synchronized (this) {
      if (finished) {
        return;
      }
      window.add(copy.length, copy);
      targets = new ArrayList<>(viewers.size());
      for (ViewerQueue v : viewers) {
        (v.add(copy, true) ? targets : slow).add(v);
      }
    }
    boolean room = targets.isEmpty();
    for (ViewerQueue v : targets) {
      v.drain();
      room |= v.hasRoom();
    }
    slow.forEach(this::drop);
    // Read on as fast as the fastest viewer takes the bytes: slower ones fill their own bounded
    // queue and are dropped, they never hold the others back.
    if (room) {
      next.run();
      return;
    }
    synchronized (this) {
      paused = next;
    }
    // A viewer may have caught up between the check and the pause.
    for (ViewerQueue v : targets) {
      if (v.hasRoom()) {
        resume();
        return;
      }
    }
  }

  private void drop(ViewerQueue v) {
    owner.dropped().incrementAndGet();
    LOG.info("Build {}: dropping a viewer more than {} bytes behind", buildId, viewerBufferBytes);
    v.failNow(new SlowViewerException("Viewer of build " + buildId + " more than "
        + viewerBufferBytes + " bytes behind"));
    leave(v);
  }

  /**
   * The one viewer that may take the upstream's own buffer without a copy, if any: past the window
   * (nobody can join any more, nothing to keep) with a single idle viewer, which is one stream
   * relayed exactly as without sharing. Accounts the chunk when it returns a viewer.
   */
  private synchronized ViewerQueue borrowingViewer(int bytes) {
    if (finished || !window.pastAfter(bytes) || viewers.size() != 1 || !viewers.get(0).tryBorrow()) {
      return null;
    }
    window.add(bytes, null);
    return viewers.get(0);
  }

  /** A viewer caught up: lets the upstream read on if it was waiting. */
  public void resume() {
    Runnable next;
    synchronized (this) {
      next = paused;
      paused = null;
    }
    if (next != null) {
      next.run();
    }
  }

  @Override
  public void onEnd() {
    for (ViewerQueue v : finish()) {
      v.end();
    }
  }

  @Override
  public void onError(StreamException error) {
    for (ViewerQueue v : finish()) {
      v.fail(error);
    }
  }

  private synchronized List<ViewerQueue> finish() {
    if (finished) {
      return List.of();
    }
    finished = true;
    release();
    List<ViewerQueue> all = new ArrayList<>(viewers);
    owner.viewers().addAndGet(-viewers.size());
    viewers.clear();
    window.clear();
    return all;
  }
}
