package org.fingerpost.streams.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters every build's {@link BuildFanOut} of one node updates (gauges and totals of {@link
 * org.fingerpost.streams.SharedStreams}). Thread-safe: atomics.
 *
 * @param shared shared upstreams (from byte 0) open now
 * @param catchUps catch-up upstreams open now
 * @param viewers viewers attached now (riding or waiting)
 * @param dropped viewers dropped for being behind, so far (only with catch-ups off)
 * @param catchUpsOpened catch-up upstreams opened so far
 * @param fellBehind times a viewer fell more than its buffer behind and went on from its offset
 * @param windowBytes bytes the replay windows of this node hold now (what late joiners can be replayed)
 */
public record FanOutCounters(AtomicInteger shared, AtomicInteger catchUps, AtomicInteger viewers,
    AtomicLong dropped, AtomicLong catchUpsOpened, AtomicLong fellBehind, AtomicLong windowBytes) {
  public FanOutCounters() {
    this(new AtomicInteger(), new AtomicInteger(), new AtomicInteger(), new AtomicLong(), new AtomicLong(),
        new AtomicLong(), new AtomicLong());
  }
}
