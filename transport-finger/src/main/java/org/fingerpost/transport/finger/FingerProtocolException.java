package org.fingerpost.transport.finger;

/**
 * A finger request that cannot be served: the request line is not a valid build id.
 *
 * <p>The {@link #wireMessage()} is the exact text the server writes to the client (no newline)
 * before it closes the connection, for example {@code Build ID ../../etc/passwd is not valid}.
 * Any character of the client's input that is not printable ASCII is already replaced by {@code ?}
 * in it, so it is also safe to log. Immutable.
 */
public class FingerProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String wireMessage;

  /** @param wireMessage the text for the client, already sanitised; also the exception message */
  public FingerProtocolException(String wireMessage) {
    super(wireMessage);
    this.wireMessage = wireMessage;
  }

  /** The text sent to the client before the connection is closed. */
  public String wireMessage() {
    return wireMessage;
  }
}
