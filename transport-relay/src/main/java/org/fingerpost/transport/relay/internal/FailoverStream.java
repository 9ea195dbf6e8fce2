package org.fingerpost.transport.relay.internal;

import java.nio.ByteBuffer;
import java.util.List;
import org.fingerpost.transport.ForwardingLogSink;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.SkippingLogSink;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.TransportContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relayed stream trying its hops in order until one delivers a byte. A hop that fails or closes
 * before its first byte (refused, reset, or a gateway that accepts and closes because it is stopping)
 * is logged and the next one opened from that callback (the sink's calls stay serial: one hop is
 * active at a time); only the last hop's empty end is the stream's end. After the first byte the
 * stream is the hop's: its end or error goes to the sink unchanged. Every hop delivers the log from
 * the same byte: a hop asked for a smaller offset than the stream's (one whose peer does not take
 * offsets is asked from 0) has the bytes before it dropped here ({@link SkippingLogSink}).
 *
 * <p>{@link #close()} is idempotent and thread-safe: it closes the active hop and opens no other.
 */
public final class FailoverStream implements LogStream {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverStream.class);

  private final TransportContext context;
  private final List<StreamTarget> hops;
  /** The first byte of the log the sink wants (every hop's bytes before it are dropped). */
  private final long offset;
  private final String requesterZone;
  private final LogSink sink;
  private final Object lock = new Object();
  private boolean closed;
  /** The hop being tried or streamed; guarded by {@link #lock}. */
  private int activeIndex;
  private LogStream current;

  private FailoverStream(TransportContext context, List<StreamTarget> hops, long offset, String requesterZone,
      LogSink sink) {
    this.context = context;
    this.hops = hops;
    this.offset = offset;
    this.requesterZone = requesterZone;
    this.sink = sink;
  }

  /**
   * Opens the first hop and returns the stream; failures reach {@code sink}.
   *
   * @param offset the log's first byte the sink wants; a hop whose target asks for less has the
   *     difference dropped
   */
  public static LogStream start(TransportContext context, List<StreamTarget> hops, long offset,
      String requesterZone, LogSink sink) {
    FailoverStream stream = new FailoverStream(context, hops, offset, requesterZone, sink);
    stream.openHop(0, null);
    return stream;
  }

  private void openHop(int index, StreamException previous) {
    StreamTarget hop = hops.get(index);
    if (index > 0) {
      if (hop.route() == StreamTarget.Route.DIRECT_FALLBACK) {
        LOG.warn("No gateway of zone {} could be connected for build {} (requested from {}): connecting "
            + "directly to the executor {}:{}; last error: {}", hop.zone(), hop.buildId(),
            requesterZone == null ? "unzoned" : "zone " + requesterZone, hop.host(), hop.port(),
            describe(previous));
      } else {
        LOG.warn("Gateway hop for build {} failed ({}); trying gateway {}:{} of zone {}", hop.buildId(),
            describe(previous), hop.host(), hop.port(), hop.zone());
      }
    }
    HopSink hopSink = new HopSink(index);
    // A hop asked from an earlier byte than the stream's (a peer without offsets: from 0) drops the difference.
    long skip = offset - hop.offset();
    LogStream opened = context.open(hop, skip > 0 ? new SkippingLogSink(hopSink, skip) : hopSink);
    boolean closeNow;
    synchronized (lock) {
      // The hop may already have failed and the next one been opened from its callback.
      if (hopSink.index == activeIndex) {
        current = opened;
      }
      closeNow = closed;
    }
    if (closeNow) {
      opened.close();
    }
  }

  private static String describe(StreamException e) {
    if (e == null) {
      return "none";
    }
    return e.getMessage() + (e.getCause() != null ? " (" + e.getCause() + ")" : "");
  }

  @Override
  public void close() {
    LogStream c;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      c = current;
    }
    if (c != null) {
      c.close();
    }
  }

  /** The sink of one hop: passes everything on, except a failure before the first byte passed on. */
  private final class HopSink extends ForwardingLogSink {
    final int index;
    private boolean delivered;

    HopSink(int index) {
      super(sink);
      this.index = index;
    }

    @Override
    public void onData(ByteBuffer chunk, Runnable next) {
      delivered = true;
      super.onData(chunk, next);
    }

    @Override
    public void onError(StreamException error) {
      if (!failOver(error)) {
        super.onError(error);
      }
    }

    /**
     * An empty end is what a stopping gateway sends (it accepted, then closed): as a refusal, the
     * next hop is asked; a log that really is empty ends on the last hop all the same.
     */
    @Override
    public void onEnd() {
      if (!failOver(StreamException.internal("Hop closed before its first byte", null))) {
        super.onEnd();
      }
    }

    /** Opens the next hop if this one delivered nothing; false when the stream's end is this hop's. */
    private boolean failOver(StreamException why) {
      int nextIndex = index + 1;
      synchronized (lock) {
        if (delivered || closed || nextIndex >= hops.size()) {
          return false;
        }
        activeIndex = nextIndex;
        current = null;
      }
      openHop(nextIndex, why);
      return true;
    }
  }
}
