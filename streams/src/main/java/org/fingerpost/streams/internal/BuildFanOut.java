package org.fingerpost.streams.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.fingerpost.streams.SlowViewerException;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstreams of one build (and tenant) on this node: the shared upstream from byte 0, and at most
 * {@link Limits#catchUps} catch-up upstreams, each opened at a log offset for viewers that cannot
 * ride the shared one (late joiners past its window, viewers that fell more than their buffer behind
 * it). A catch-up is itself shared: a viewer needing an offset its window still replays, or that it
 * has not reached yet, rides it. When a catch-up reaches the shared upstream's position its viewers
 * move onto the shared tail and it closes ({@link SharedUpstream#mergeInto}). Past the cap a viewer
 * rides the nearest catch-up behind its offset, or waits (no bytes, no memory) until a slot frees.
 *
 * <p>With {@link Limits#catchUps} 0 there are no catch-ups (the behaviour before issue 15): {@link
 * #open} answers {@link Joined#PRIVATE} for a late joiner past the window, and a viewer that falls
 * behind is dropped with a {@link SlowViewerException}.
 *
 * <p><b>Threads.</b> State is guarded by {@code this}. Lock order: this fan-out, then an upstream,
 * then a viewer queue; upstreams call in without their lock. Upstreams are opened and queues drained
 * after the lock is released ({@link #runDeferred}).
 */
public final class BuildFanOut implements UpstreamOwner {
  private static final Logger LOG = LoggerFactory.getLogger(BuildFanOut.class);

  /** The limits of one build's fan-out. */
  public record Limits(long windowBytes, long viewerBufferBytes, int catchUps) {}

  /** Opens the build's log from a byte offset; must not block. */
  @FunctionalInterface
  public interface Upstreams {
    LogStream open(long offset, LogSink sink);
  }

  /** What {@link #open} did with a viewer. */
  public enum Joined {
    /** It rides one of this build's upstreams (or waits for a catch-up slot). */
    JOINED,
    /** This fan-out had closed: use a fresh one. */
    CLOSED,
    /** Catch-ups are off and it is past the window: the caller opens it an upstream of its own. */
    PRIVATE
  }

  private final String buildId;
  private final Limits limits;
  private final FanOutCounters counters;
  private final Upstreams upstreams;
  private final Consumer<BuildFanOut> emptied;
  private final List<SharedUpstream> catchUps = new ArrayList<>();
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private final List<Runnable> deferred = new ArrayList<>();
  private SharedUpstream main;
  private boolean closed;
  /** Read without the lock on every chunk: no merge check while there is no catch-up. */
  private volatile int catchUpCount;

  /** @param emptied told once, when the last upstream and waiter are gone (leave the owner's map) */
  public BuildFanOut(String buildId, Limits limits, FanOutCounters counters, Upstreams upstreams,
      Consumer<BuildFanOut> emptied) {
    this.buildId = buildId;
    this.limits = limits;
    this.counters = counters;
    this.upstreams = upstreams;
    this.emptied = emptied;
  }

  /** Attaches a new viewer wanting the log from {@code offset}; see {@link Joined}. */
  public Joined open(Rider rider, long offset) {
    synchronized (this) {
      if (closed) {
        return Joined.CLOSED;
      }
      if (main == null || main.isFinished()) {
        main = new SharedUpstream(buildId, 0, window(), counters.shared(), this);
        SharedUpstream fresh = main;
        deferred.add(() -> fresh.start(sink -> upstreams.open(0, sink)));
      }
      if (!main.join(rider, offset)) {
        if (limits.catchUps() == 0) {
          return Joined.PRIVATE;
        }
        LOG.debug("Build {}: a viewer from byte {} is past the shared window", buildId, offset);
        place(rider, offset);
      }
      counters.viewers().incrementAndGet();
    }
    rider.queue().drain();
    runDeferred();
    return Joined.JOINED;
  }

  /** The viewer's handle closed: detaches it from wherever it rides or waits. */
  public void leave(Rider rider) {
    rider.queue().cancel();
    synchronized (this) {
      while (true) { // a merge may move it between the read and the leave: follow it
        SharedUpstream up = rider.upstream();
        if (up == null) {
          waiting.removeIf(w -> w.rider == rider);
          break;
        }
        if (up.leave(rider)) {
          break;
        }
      }
    }
    rider.release();
    runDeferred();
  }

  /** Rides the best upstream for {@code position}, opens a catch-up there, or waits. Under the lock. */
  private void place(Rider rider, long position) {
    if (rider.queue().isDone()) {
      return; // it went away while it was being moved
    }
    SharedUpstream best = null;
    long bestGap = Long.MAX_VALUE;
    List<SharedUpstream> candidates = new ArrayList<>(catchUps);
    if (main != null) {
      candidates.add(main);
    }
    for (SharedUpstream c : candidates) {
      long gap = c.joinGap(rider, position);
      if (gap >= 0 && gap < bestGap) {
        best = c;
        bestGap = gap;
      }
    }
    // Riding one that is far behind costs the viewer a wait: only when no slot is free.
    boolean free = catchUps.size() < limits.catchUps();
    if (best != null && (bestGap <= limits.viewerBufferBytes() || !free) && best.join(rider, position)) {
      deferred.add(rider.queue()::drain);
      return;
    }
    if (free) {
      SharedUpstream c = new SharedUpstream(buildId, position, window(), counters.catchUps(), this);
      catchUps.add(c);
      catchUpCount = catchUps.size();
      counters.catchUpsOpened().incrementAndGet();
      c.join(rider, position);
      deferred.add(() -> c.start(sink -> upstreams.open(position, sink)));
      LOG.debug("Build {}: catch-up upstream from byte {}", buildId, position);
      return;
    }
    waiting.add(new Waiting(rider, position));
  }

  @Override
  public void fellBehind(SharedUpstream up, Rider rider, long position) {
    if (limits.catchUps() == 0) {
      counters.dropped().incrementAndGet();
      LOG.info("Build {}: dropping a viewer more than {} bytes behind", buildId, limits.viewerBufferBytes());
      rider.queue().failNow(new SlowViewerException("Viewer of build " + buildId + " more than "
          + limits.viewerBufferBytes() + " bytes behind"));
      rider.release();
      return;
    }
    counters.fellBehind().incrementAndGet();
    LOG.debug("Build {}: a viewer more than {} bytes behind goes on from byte {}", buildId,
        limits.viewerBufferBytes(), position);
    synchronized (this) {
      place(rider, position);
    }
    runDeferred();
  }

  @Override
  public void advanced(SharedUpstream up) {
    if (catchUpCount == 0) {
      return;
    }
    SharedUpstream into;
    List<SharedUpstream> candidates;
    synchronized (this) {
      into = main;
      candidates = new ArrayList<>(catchUps);
    }
    if (into == null) {
      return;
    }
    List<Rider> moved = new ArrayList<>();
    for (SharedUpstream c : candidates) {
      moved.addAll(c.mergeInto(into, limits.viewerBufferBytes()));
    }
    boolean room = false;
    for (Rider r : moved) {
      r.queue().drain();
      room |= r.queue().hasRoom();
    }
    if (room) {
      into.resume(); // it may have been waiting for its slower riders
    }
  }

  @Override
  public void released(SharedUpstream up) {
    boolean empty;
    synchronized (this) {
      if (up == main) {
        main = null;
      } else if (catchUps.remove(up)) {
        catchUpCount = catchUps.size();
        wakeWaiting();
      }
      empty = !closed && main == null && catchUps.isEmpty() && waiting.isEmpty();
      closed |= empty;
    }
    if (empty) {
      emptied.accept(this);
    }
    runDeferred();
  }

  /** A catch-up slot freed: the waiting viewers are placed again, oldest first. Under the lock. */
  private void wakeWaiting() {
    for (int n = waiting.size(); n > 0 && catchUps.size() < limits.catchUps(); n--) {
      Waiting w = waiting.poll();
      place(w.rider, w.position);
    }
  }

  /** Opens upstreams and drains queues decided under the lock; nothing while the lock is held. */
  private void runDeferred() {
    if (Thread.holdsLock(this)) {
      return; // the outer call runs them once it has let go
    }
    while (true) {
      List<Runnable> todo;
      synchronized (this) {
        if (deferred.isEmpty()) {
          return;
        }
        todo = new ArrayList<>(deferred);
        deferred.clear();
      }
      todo.forEach(Runnable::run);
    }
  }

  /** Viewers waiting (for tests and the gauge). */
  public synchronized int waitingCount() {
    return waiting.size();
  }

  /** A new upstream's replay window, counted in the node's window bytes. */
  private ReplayWindow window() {
    return new ReplayWindow(limits.windowBytes(), counters.windowBytes());
  }

  private record Waiting(Rider rider, long position) {}
}
