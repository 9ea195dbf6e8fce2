package org.fingerpost.registry;

/**
 * ZooKeeper cannot answer right now: the client is not connected, the connection was lost during the
 * operation, or the answer did not come within the read timeout. Transient by nature: the {@link
 * Registry} keeps reconnecting in the background, so a later call may succeed. Callers on a request
 * path report it as an internal error (the gateway's {@code Internal streaming error}); the message is
 * for logs only.
 */
public class RegistryUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public RegistryUnavailableException(String message) {
    super(message);
  }

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
