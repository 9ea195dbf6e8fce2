package org.fingerpost.transport.finger;

/**
 * Why a {@link FingerServer} refused a connection before it reached the handler; what the server's
 * invalid-request hook receives ({@link FingerServer.Builder#onInvalidRequestReason}). A plain value:
 * immutable and thread-safe.
 */
public enum InvalidRequest {
  /** No newline within {@link FingerServer#maxLineBytes} bytes. */
  LINE_TOO_LONG,
  /** No complete request line within the request timeout. */
  TIMEOUT,
  /** The line is not a valid build id; the client got {@code Build ID <id> is not valid}. */
  INVALID_BUILD_ID
}
