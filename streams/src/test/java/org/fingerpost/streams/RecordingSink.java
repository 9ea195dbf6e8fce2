package org.fingerpost.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.StreamException;

/**
 * A test sink that records every call (as {@code data:<ascii>}, {@code end}, {@code error}), the very
 * buffers it was given, and the text; when holding, it keeps each {@code next} until {@link #runNext}
 * (a viewer that does not keep up). Single-threaded use.
 */
public final class RecordingSink implements LogSink {
  public final List<String> events = new ArrayList<>();
  public final List<ByteBuffer> buffers = new ArrayList<>();
  public final List<StreamException> errors = new ArrayList<>();
  public final ArrayDeque<Runnable> held = new ArrayDeque<>();
  public int ends;
  private final StringBuilder text = new StringBuilder();
  private boolean hold;

  public RecordingSink() {
    this(false);
  }

  public RecordingSink(boolean hold) {
    this.hold = hold;
  }

  /** From now on keeps each {@code next} instead of running it. */
  public RecordingSink holdingNext() {
    hold = true;
    return this;
  }

  @Override
  public void onData(ByteBuffer chunk, Runnable next) {
    buffers.add(chunk);
    byte[] copy = new byte[chunk.remaining()];
    chunk.duplicate().get(copy);
    String s = new String(copy, US_ASCII);
    events.add("data:" + s);
    text.append(s);
    if (hold) {
      held.add(next);
    } else {
      next.run();
    }
  }

  @Override
  public void onEnd() {
    events.add("end");
    ends++;
  }

  @Override
  public void onError(StreamException error) {
    events.add("error");
    errors.add(error);
  }

  /** Runs the oldest held {@code next}. */
  public void runNext() {
    Runnable next = held.poll();
    assertTrue(next != null, "the sink holds no next");
    next.run();
  }

  public String text() {
    return text.toString();
  }
}
