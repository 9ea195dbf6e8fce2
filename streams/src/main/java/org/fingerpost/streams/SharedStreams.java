package org.fingerpost.streams;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.fingerpost.streams.internal.BuildFanOut;
import org.fingerpost.streams.internal.FanOutCounters;
import org.fingerpost.streams.internal.Rider;
import org.fingerpost.streams.internal.SkippingSink;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets concurrent viewers of one build on this node share ONE upstream stream (issue 6): the first
 * viewer opens it, later ones join it, the last one to leave closes it.
 *
 * <p><b>Late joiners.</b> The shared stream keeps the first {@link Builder#windowBytes} bytes of the
 * log in memory. A viewer joining while everything received so far is still in that window gets it
 * replayed, then the shared tail, with no byte lost or repeated (both happen under one lock). A viewer
 * joining a stream that already went past the window rides a <em>catch-up</em> upstream opened at its
 * offset (docs/operations.md "Shared upstreams"): other late joiners near that offset ride the same
 * one (each catch-up has a window of its own from its offset), and when the catch-up reaches the
 * shared stream's position its viewers move onto the shared tail and it closes. A build has at most
 * {@link Builder#catchUpUpstreams} catch-ups open on this node; past that a viewer rides the nearest
 * catch-up still behind its offset, or waits (no bytes, no buffer) for a free slot.
 *
 * <p><b>Slow viewers.</b> Every chunk is copied once and queued for each viewer (except past the
 * window with a single idle viewer: it borrows the upstream's buffer, and the upstream reads on once
 * that write is done, exactly as an unshared stream). An upstream reads on as soon as any one of its
 * viewers has at most half its buffer waiting, so it runs at the pace of its fastest viewer and never
 * waits for a slower one. A viewer with more than {@link Builder#viewerBufferBytes} bytes waiting
 * falls behind: it goes on from its offset on a catch-up (the same rules as a late joiner) and
 * rejoins the shared tail if it catches up, so a reader that is merely slower never loses its stream.
 * A viewer that stops reading is dropped by its socket's own timeout (the finger server's and the
 * websocket's {@code slow_client_timeout}), which closes its handle. Memory per build stays bounded:
 * at most (1 + catch-ups) windows plus one buffer and one chunk per viewer. With catch-ups off
 * ({@code catchUpUpstreams(0)}), a late joiner past the window opens a private upstream and a viewer
 * falling behind is dropped with a {@link SlowViewerException} (finger: {@code Internal streaming
 * error}; websocket: 1008 {@value SlowViewerException#REASON}).
 *
 * <p><b>Keys.</b> Build id and tenant (null: any): viewers asking under different tenants never share,
 * so the tenant check of the registry lookup still applies to each of them.
 *
 * <p><b>Threads.</b> Thread-safe; {@link #open} never blocks (the {@link Opener} must not either).
 * Upstream callbacks arrive on the transport's threads; viewer sinks are called from the thread that
 * delivered the upstream chunk or that ran the viewer's {@code next}.
 */
public final class SharedStreams {
  private static final Logger LOG = LoggerFactory.getLogger(SharedStreams.class);

  /** Default {@link Builder#windowBytes}: 4 MiB of log kept per shared build for late joiners. */
  public static final long DEFAULT_WINDOW_BYTES = 4L * 1024 * 1024;
  /** Default {@link Builder#viewerBufferBytes}: 1 MiB may wait per viewer before it falls behind. */
  public static final long DEFAULT_VIEWER_BUFFER_BYTES = 1024L * 1024;
  /** Default {@link Builder#catchUpUpstreams}: 4 catch-up upstreams per build and node. */
  public static final int DEFAULT_CATCH_UP_UPSTREAMS = 4;

  /** Opens a build's log upstream without blocking, for example {@code StreamRouter::openAsync}. */
  @FunctionalInterface
  public interface Opener {
    /** @param tenant null accepts any tenant */
    LogStream open(String buildId, String tenant, LogSink sink);

    /**
     * Opens from byte {@code offset}; override to pass the offset upstream (for example {@link
     * StreamRouter#openAsync(String, String, long, LogSink, java.util.concurrent.Executor)}). The
     * default opens from 0 and drops the first {@code offset} bytes.
     */
    default LogStream open(String buildId, String tenant, long offset, LogSink sink) {
      return open(buildId, tenant, offset == 0 ? sink : new SkippingSink(sink, offset));
    }
  }

  private final Opener opener;
  private final BuildFanOut.Limits limits;
  private final Map<Key, BuildFanOut> builds = new ConcurrentHashMap<>();
  private final FanOutCounters counters = new FanOutCounters();
  private final AtomicLong privateCount = new AtomicLong();

  private SharedStreams(Builder b) {
    this.opener = b.opener;
    this.limits = new BuildFanOut.Limits(b.windowBytes, b.viewerBufferBytes, b.catchUpUpstreams);
    if (b.meters != null) {
      b.meters.gauge("fingerpost.shared.upstreams", counters.shared());
      b.meters.gauge("fingerpost.shared.catchups", counters.catchUps());
      b.meters.gauge("fingerpost.shared.viewers", counters.viewers());
      b.meters.gauge("fingerpost.shared.window.bytes", counters.windowBytes());
    }
  }

  public static Builder builder(Opener opener) {
    return new Builder(opener);
  }

  /**
   * Streams {@code buildId}'s log from byte 0 into {@code viewer}, sharing the upstream with the
   * other viewers of the same build and tenant. Never throws: failures reach the viewer's sink.
   *
   * @return the viewer's handle; closing it detaches the viewer (and closes the upstream if it was
   *     the last one)
   */
  public LogStream open(String buildId, String tenant, LogSink viewer) {
    return open(buildId, tenant, 0, viewer);
  }

  /**
   * As {@link #open(String, String, LogSink)}, delivering the log from byte {@code offset}. A viewer
   * that can join the shared stream drops the bytes before the offset on this node; one past the
   * window rides a catch-up upstream from the offset (passed on when the peer supports it, see {@link
   * Opener#open(String, String, long, LogSink)}).
   *
   * @param offset first byte the viewer wants, at least 0
   */
  public LogStream open(String buildId, String tenant, long offset, LogSink viewer) {
    Objects.requireNonNull(viewer, "viewer");
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }
    Key key = new Key(buildId, tenant);
    BuildFanOut.Upstreams upstreams = (from, sink) -> from == 0
        ? opener.open(buildId, tenant, sink) : opener.open(buildId, tenant, from, sink);
    while (true) {
      BuildFanOut fanOut = builds.computeIfAbsent(key,
          k -> new BuildFanOut(buildId, limits, counters, upstreams, f -> builds.remove(k, f)));
      Rider rider = new Rider(viewer, limits.viewerBufferBytes(), () -> counters.viewers().decrementAndGet());
      switch (fanOut.open(rider, offset)) {
        case JOINED:
          return () -> fanOut.leave(rider);
        case CLOSED:
          builds.remove(key, fanOut); // emptied between the lookup and the open: try again
          continue;
        default:
          // Catch-ups off and past the window: this viewer gets its own upstream from its offset.
          privateCount.incrementAndGet();
          LOG.debug("Build {}: late joiner past the {}-byte window opens its own upstream", buildId,
              limits.windowBytes());
          return opener.open(buildId, tenant, offset, viewer);
      }
    }
  }

  /** Shared upstream streams (from byte 0) open now: at most one per build and tenant. */
  public int upstreamCount() {
    return counters.shared().get();
  }

  /** Catch-up upstreams open now: at most {@link Builder#catchUpUpstreams} per build and tenant. */
  public int catchUpCount() {
    return counters.catchUps().get();
  }

  /** Viewers attached now (riding a shared or catch-up upstream, or waiting for a catch-up slot). */
  public int viewerCount() {
    return counters.viewers().get();
  }

  /** Upstreams opened so far for viewers that could not ride the shared one: catch-ups and, with catch-ups off, private upstreams. */
  public long privateUpstreams() {
    return privateCount.get() + counters.catchUpsOpened().get();
  }

  /** Times so far a viewer fell more than its buffer behind and went on from its offset on a catch-up. */
  public long fellBehind() {
    return counters.fellBehind().get();
  }

  /** Bytes the replay windows of this node's upstreams hold now (each at most {@link Builder#windowBytes}). */
  public long windowBytesHeld() {
    return counters.windowBytes().get();
  }

  /** Viewers dropped for being too slow, so far (only with catch-ups off: {@link Builder#catchUpUpstreams} 0). */
  public long droppedViewers() {
    return counters.dropped().get();
  }

  private record Key(String buildId, String tenant) {}

  /**
   * Builds {@link SharedStreams}; defaults: {@link #DEFAULT_WINDOW_BYTES}, {@link
   * #DEFAULT_VIEWER_BUFFER_BYTES}, no meters.
   */
  public static final class Builder {
    private final Opener opener;
    private long windowBytes = DEFAULT_WINDOW_BYTES;
    private long viewerBufferBytes = DEFAULT_VIEWER_BUFFER_BYTES;
    private int catchUpUpstreams = DEFAULT_CATCH_UP_UPSTREAMS;
    private MeterRegistry meters;

    private Builder(Opener opener) {
      this.opener = Objects.requireNonNull(opener, "opener");
    }

    /** Bytes of a shared log kept in memory so that late joiners can start at byte 0; 0 disables. */
    public Builder windowBytes(long windowBytes) {
      if (windowBytes < 0) {
        throw new IllegalArgumentException("windowBytes must be >= 0: " + windowBytes);
      }
      this.windowBytes = windowBytes;
      return this;
    }

    /**
     * Bytes that may wait for one viewer while others read on; beyond it the viewer goes on from its
     * offset on a catch-up upstream (dropped with catch-ups off); at least 1.
     */
    public Builder viewerBufferBytes(long viewerBufferBytes) {
      if (viewerBufferBytes < 1) {
        throw new IllegalArgumentException("viewerBufferBytes must be >= 1: " + viewerBufferBytes);
      }
      this.viewerBufferBytes = viewerBufferBytes;
      return this;
    }

    /**
     * Catch-up upstreams a build may have open at once on this node, besides its shared one: how many
     * offsets its late joiners and fallen-behind viewers are read from at a time; at least 0. 0 turns
     * catch-ups off: a late joiner past the window opens a private upstream and a viewer more than
     * its buffer behind is dropped (the behaviour before issue 15).
     */
    public Builder catchUpUpstreams(int catchUpUpstreams) {
      if (catchUpUpstreams < 0) {
        throw new IllegalArgumentException("catchUpUpstreams must be >= 0: " + catchUpUpstreams);
      }
      this.catchUpUpstreams = catchUpUpstreams;
      return this;
    }

    /**
     * Registers the gauges {@code fingerpost.shared.upstreams}, {@code fingerpost.shared.catchups},
     * {@code fingerpost.shared.viewers} and {@code fingerpost.shared.window.bytes}.
     */
    public Builder meters(MeterRegistry meters) {
      this.meters = meters;
      return this;
    }

    public SharedStreams build() {
      return new SharedStreams(this);
    }
  }
}
