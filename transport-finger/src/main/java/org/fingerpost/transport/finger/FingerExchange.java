package org.fingerpost.transport.finger;

import java.nio.ByteBuffer;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.StreamException;

/**
 * The client side of one finger connection whose request has been parsed: a {@link LogSink} that
 * writes the log bytes to the client.
 *
 * <p><b>Writing.</b> {@link #onData} writes the chunk to the client and runs {@code next} once the
 * write completed (one chunk in flight: call {@code onData} again only after {@code next} ran). The
 * chunk is written as is, without copying, so it must stay untouched until {@code next} runs. If the
 * write fails (the client went away) {@code next} is not run; the {@link #onClose} actions run
 * instead. {@code next} runs on the thread that completed the write, which may be the caller's own
 * thread (without recursing into it: a producer that loops through {@code next} does not grow the
 * stack) or a server pool thread, never a selector thread; it may therefore do short blocking work
 * such as reading the next chunk of a local file.
 *
 * <p><b>Ending.</b> {@link #onEnd} closes gracefully (pending bytes are flushed, then the output is
 * shut down and the socket closed). {@link #onError} and {@link #fail} write one plain-text message,
 * with no newline, and then close the same way. Only the first of these terminal calls has an
 * effect; later ones, and {@code onData} after the end, are ignored. A terminal call made while a
 * chunk is still being written takes effect once that write completes (then {@code next} is not run).
 *
 * <p><b>Closing.</b> {@link #onClose} actions run exactly once, as soon as the exchange accepts no
 * more data for any reason: the client disconnected (the server keeps reading from the client while
 * streaming, discarding what it sends, so a disconnect is noticed at once), a write failed, the
 * handler ended the exchange, or the server stopped. This is how the owner frees its upstream.
 *
 * <p><b>Threads.</b> All methods are thread-safe and non-blocking; the terminal behaviour is
 * idempotent. The {@link LogSink} ordering rules apply to the data calls: do not call {@code onData}
 * concurrently with itself.
 */
public interface FingerExchange extends LogSink {

  /**
   * Writes {@code chunk} to the client and runs {@code next} when the write completed; see the class
   * comment. Ignored (and {@code next} never run) once the exchange is closed.
   */
  @Override
  void onData(ByteBuffer chunk, Runnable next);

  /** Flushes what is pending and closes the connection gracefully. */
  @Override
  void onEnd();

  /** Writes {@code error.wireMessage()} (no newline), then closes; the cause is only logged. */
  @Override
  void onError(StreamException error);

  /** Writes {@code wireMessage} as UTF-8 (no newline), then closes. */
  void fail(String wireMessage);

  /**
   * Registers an action to run once when the exchange closes (see the class comment); runs it at
   * once, on the caller's thread, if the exchange is already closed. Actions run on the thread that
   * closed the exchange, must not block and should not throw (a throwing action is logged and the
   * others still run).
   */
  void onClose(Runnable action);

  /** Whether the exchange still accepts data (no terminal call, client still connected). */
  boolean isOpen();

  /** The client's address as {@code host:port} (IPv6 in brackets), for logs. */
  String remoteAddress();
}
