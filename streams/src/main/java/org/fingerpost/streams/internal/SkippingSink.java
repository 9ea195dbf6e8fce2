package org.fingerpost.streams.internal;

import java.nio.ByteBuffer;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.SkippingLogSink;

/**
 * Drops the first {@code skip} bytes of a stream and passes the rest on: how a client's start offset
 * is honoured over an upstream that streams from byte 0 (correct, just less efficient than asking a
 * peer that advertises the {@code offset} capability). Same threading as the sink it wraps.
 *
 * <p>With {@code keepAnswers}, a first chunk that is a peer's whole error answer ({@code Build ID ... not
 * found}, see {@link InBandErrors}) is passed on unskipped: skipping part of it would turn the rest into
 * log text, and whoever resumes must see that the peer no longer has the log.
 */
public final class SkippingSink extends SkippingLogSink {
  /** Touched only by the (serial) sink calls. */
  private boolean keepAnswers;

  public SkippingSink(LogSink delegate, long skip) {
    this(delegate, skip, false);
  }

  public SkippingSink(LogSink delegate, long skip, boolean keepAnswers) {
    super(delegate, skip);
    this.keepAnswers = keepAnswers;
  }

  @Override
  public void onData(ByteBuffer chunk, Runnable next) {
    if (keepAnswers) {
      keepAnswers = false;
      if (InBandErrors.errorStart(chunk, true, true) == 0) {
        stopSkipping();
      }
    }
    super.onData(chunk, next);
  }
}
