package org.fingerpost.streams.internal;

/**
 * How a build's fan-out ({@link BuildFanOut}) hears from its {@link SharedUpstream}s. The upstream
 * never calls it under its own lock; calls arrive on the transport's threads or a viewer's.
 */
public interface UpstreamOwner {
  /** The upstream ended, failed, merged or lost its last rider: nobody can join it any more. */
  void released(SharedUpstream up);

  /** {@code rider} fell more than its buffer behind and was detached; it wants the log from {@code position} on. */
  void fellBehind(SharedUpstream up, Rider rider, long position);

  /** A chunk reached the riders (a catch-up may have met the shared tail). */
  void advanced(SharedUpstream up);
}
