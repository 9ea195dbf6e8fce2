package org.fingerpost.transport.finger.internal;

import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import org.fingerpost.transport.finger.FingerHandler;
import org.fingerpost.transport.finger.InvalidRequest;

/**
 * What every connection of one {@link
 * org.fingerpost.transport.finger.FingerServer} shares: its handler, limits, hooks and the set
 * of open connections (so the server can close them). Immutable apart from that concurrent set.
 */
public final class ServerSettings {
  final String name;
  final FingerHandler handler;
  final int maxLineBytes;
  final Duration requestTimeout;
  final byte[] requestErrorMessage;
  final Consumer<InvalidRequest> onInvalidRequest;
  final Duration closeLinger;
  final Set<FingerServerConnection> connections;

  /**
   * @param requestErrorMessage UTF-8 text written before closing a connection whose request line is
   *     too long or late; null to close silently
   * @param closeLinger how long a gracefully closed connection waits for the client to close its side
   *     before the socket is closed anyway
   */
  public ServerSettings(String name, FingerHandler handler, int maxLineBytes, Duration requestTimeout,
      byte[] requestErrorMessage, Consumer<InvalidRequest> onInvalidRequest,
      Duration closeLinger, Set<FingerServerConnection> connections) {
    this.name = name;
    this.handler = handler;
    this.maxLineBytes = maxLineBytes;
    this.requestTimeout = requestTimeout;
    this.requestErrorMessage = requestErrorMessage;
    this.onInvalidRequest = onInvalidRequest;
    this.closeLinger = closeLinger;
    this.connections = connections;
  }
}
