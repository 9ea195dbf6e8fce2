package org.fingerpost.streams.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.fingerpost.transport.LogSink;

/**
 * One viewer of a build as it moves between its build's upstreams: the shared one, a catch-up, or
 * none while it waits for a catch-up slot (see {@link BuildFanOut}). Its {@link ViewerQueue} stays the
 * same across moves, so the bytes already queued are delivered in order whatever it rides next.
 *
 * <p><b>Threads.</b> The attachment is volatile: it is changed under the locks of the upstreams
 * involved and read by the queue's caught-up signal on any thread.
 */
public final class Rider {
  private final ViewerQueue queue;
  private final Runnable gone;
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile SharedUpstream upstream;

  /**
   * @param limitBytes the queue's limit (see {@link ViewerQueue})
   * @param gone run once, when the viewer stops counting as attached (its stream ended, failed or was
   *     closed)
   */
  public Rider(LogSink sink, long limitBytes, Runnable gone) {
    this.queue = new ViewerQueue(sink, limitBytes, this::caughtUp);
    this.gone = gone;
  }

  public ViewerQueue queue() {
    return queue;
  }

  /** The upstream it rides now; null while it waits for a catch-up slot or is being moved. */
  public SharedUpstream upstream() {
    return upstream;
  }

  void attach(SharedUpstream to) {
    upstream = to;
  }

  void detach(SharedUpstream from) {
    if (upstream == from) {
      upstream = null;
    }
  }

  /** Counts the viewer gone: the first call runs {@code gone}, later ones nothing. */
  public void release() {
    if (released.compareAndSet(false, true)) {
      gone.run();
    }
  }

  private void caughtUp() {
    SharedUpstream u = upstream;
    if (u != null) {
      u.resume();
    }
  }
}
