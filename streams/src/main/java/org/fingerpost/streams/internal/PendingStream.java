package org.fingerpost.streams.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream whose registry lookup may still be running ({@link
 * org.fingerpost.streams.StreamRouter#openAsync}): {@link #run} resolves and opens on the lookup
 * executor; {@link #close} before that finished cancels it, so the sink gets no call (other than one
 * already under way) and a stream opened meanwhile is closed at once. From byte {@code offset}, the
 * offset is passed on when the target advertises {@link StreamTarget#OFFSET_CAPABILITY}, otherwise
 * the first {@code offset} bytes are dropped here.
 *
 * <p><b>Threads.</b> {@link #run} on the lookup executor, once; {@link #close} from any thread.
 */
public final class PendingStream implements LogStream {
  private static final Logger LOG = LoggerFactory.getLogger(PendingStream.class);

  /** The router's resolve-and-open path, in the two steps the cancellation falls between. */
  public interface Route {
    StreamTarget resolve(String buildId, String tenant) throws StreamException;

    /** Counts a failed lookup. */
    void failed(StreamException e);

    /** Opens a resolved target; never throws. */
    LogStream open(StreamTarget target, LogSink sink);
  }

  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile LogStream upstream;

  /** Resolves and opens {@code buildId} from {@code offset} into {@code sink}, unless closed. */
  public void run(Route route, String buildId, String tenant, long offset, LogSink sink) {
    run(route, buildId, tenant, offset, 1, sink);
  }

  /** As the other {@code run}, for a request that passed {@code hops} relaying nodes, this one included. */
  public void run(Route route, String buildId, String tenant, long offset, int hops, LogSink sink) {
    if (closed.get()) {
      return;
    }
    StreamTarget target;
    try {
      target = route.resolve(buildId, tenant);
    } catch (StreamException e) {
      LOG.debug("Build {} not streamed: {} ({})", buildId, e.wireMessage(), e.getMessage());
      route.failed(e);
      if (!closed.get()) {
        sink.onError(e);
      }
      return;
    }
    if (closed.get()) {
      return;
    }
    if (hops > 1) {
      target = target.toBuilder().hops(hops).build();
    }
    if (offset > 0) {
      if (target.capabilities().contains(StreamTarget.OFFSET_CAPABILITY)) {
        target = target.toBuilder().offset(offset).build();
      } else {
        sink = new SkippingSink(sink, offset, true);
      }
    }
    LogStream opened = route.open(target, sink);
    upstream = opened;
    // close() may have run between the check above and the assignment: it could not see the stream.
    if (closed.get()) {
      opened.close();
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      LogStream u = upstream;
      if (u != null) {
        u.close();
      }
    }
  }
}
