package org.fingerpost.transport;

import java.io.IOException;

/**
 * Why a stream could not be opened or broke. The {@link #wireMessage()} is the exact text a finger
 * client receives before the connection closes (or a websocket client as its close reason); the
 * {@link #getMessage() message} and the cause are for the logs only, never sent to a client.
 */
public class StreamException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The kinds of failure the gateway and web tiers report, with their wire text (docs/design.md 3.1). */
  public enum Kind {
    /** No build node in the registry. */
    BUILD_NOT_FOUND("Build not found"),
    /** A build node without {@code worker_info}. */
    BUILD_NOT_STARTED("Build did not start yet"),
    /** Anything else: unreachable upstream, registry down, no transport, broken connection. */
    INTERNAL("Internal streaming error");

    private final String wireMessage;

    Kind(String wireMessage) {
      this.wireMessage = wireMessage;
    }

    public String wireMessage() {
      return wireMessage;
    }
  }

  private final Kind kind;

  public StreamException(Kind kind, String logMessage) {
    this(kind, logMessage, null);
  }

  public StreamException(Kind kind, String logMessage, Throwable cause) {
    super(logMessage, cause);
    this.kind = kind;
  }

  /** An {@link Kind#INTERNAL} error, the common case for network failures. */
  public static StreamException internal(String logMessage, Throwable cause) {
    return new StreamException(Kind.INTERNAL, logMessage, cause);
  }

  public Kind kind() {
    return kind;
  }

  /** The text sent to the client. */
  public String wireMessage() {
    return kind.wireMessage();
  }
}
