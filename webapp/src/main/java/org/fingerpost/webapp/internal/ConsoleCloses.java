package org.fingerpost.webapp.internal;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import org.fingerpost.transport.StreamException;

/**
 * How a console-stream websocket ends: its close codes and reasons (docs/design.md 3.2, Zuul's codes
 * and words where Zuul has them, so Zuul's page and clients read them as Zuul's). One place for what
 * {@link ConsoleSession} (before a stream) and {@link ConsoleStream} (during one) send.
 * Stateless; the {@link CloseReason}s it makes are new values.
 */
public final class ConsoleCloses {
  /** Close code: the first message lacks {@code uuid} or {@code logfile}, is not JSON, or the token is refused. */
  public static final int BAD_REQUEST = 4000;
  /** Close code: the build cannot be streamed; the reason is the error text. */
  public static final int STREAM_ERROR = 4011;
  /** Close code past the lookup rate: the standard "try again later". */
  public static final int TRY_AGAIN_LATER = 1013;
  /** Close code for a client that cannot keep up (policy violation: it does not read). */
  public static final int TOO_SLOW = CloseCodes.VIOLATED_POLICY.getCode();
  /** Close reason (with {@link #TOO_SLOW}) of the slowest websockets while send buffers are over budget. */
  public static final String OVER_BUDGET = "Client too slow: send buffers over budget";
  /**
   * Close code for an upstream lost mid-stream that could not be resumed while the build still runs:
   * 1011 (the server met an unexpected condition), never 1000, which says the log ended; the client
   * reconnects from its offset (docs/web-tier.md "Close codes").
   */
  public static final int UPSTREAM_LOST = CloseCodes.UNEXPECTED_CONDITION.getCode();
  /** The reason sent with {@link #UPSTREAM_LOST}: Zuul's own words for a broken upstream. */
  public static final String REMOTE_ERROR = "Remote error";
  /** The reason sent with 1000 at the end of the log: Zuul's words. */
  public static final String NO_MORE_DATA = "No more data";

  private ConsoleCloses() {}

  /** 1000 {@value #NO_MORE_DATA}: the log ended. */
  static CloseReason endOfLog() {
    return new CloseReason(CloseCodes.NORMAL_CLOSURE, NO_MORE_DATA);
  }

  /**
   * The end of a stream whose upstream failed: 1011 {@value #REMOTE_ERROR} once log text was sent
   * ({@code midStream}), else 4011 with the error's wire text ({@code Build not found}, ...).
   */
  static CloseReason streamFailed(StreamException error, boolean midStream) {
    return midStream ? new CloseReason(code(UPSTREAM_LOST), REMOTE_ERROR) : notStreamed(error.wireMessage());
  }

  /** 4011 with {@code errorText}: the build cannot be streamed, or access rules are unknown. */
  static CloseReason notStreamed(String errorText) {
    return new CloseReason(code(STREAM_ERROR), errorText);
  }

  /** 4011 {@code Internal streaming error}: the node could not start the stream. */
  static CloseReason internalError() {
    return notStreamed(StreamException.Kind.INTERNAL.wireMessage());
  }

  /** 4000 with {@code reason}: an unusable first message, a refused token or one no rule grants. */
  static CloseReason badRequest(String reason) {
    return new CloseReason(code(BAD_REQUEST), reason);
  }

  /** 1009: the first message is over {@code max_request_bytes} ({@code limit}). */
  static CloseReason tooBig(int limit) {
    return new CloseReason(CloseCodes.TOO_BIG, "First message larger than " + limit + " bytes");
  }

  /** 1013 with {@code reason}: past the client address's lookup rate. */
  static CloseReason tryAgainLater(String reason) {
    return new CloseReason(code(TRY_AGAIN_LATER), reason);
  }

  /** {@value #TOO_SLOW} with {@code reason}: the client does not read fast enough. */
  static CloseReason tooSlow(String reason) {
    return new CloseReason(code(TOO_SLOW), reason);
  }

  private static CloseReason.CloseCode code(int code) {
    return CloseCodes.getCloseCode(code);
  }
}
