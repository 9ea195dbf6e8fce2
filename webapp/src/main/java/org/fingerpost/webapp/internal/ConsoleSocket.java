package org.fingerpost.webapp.internal;

import jakarta.websocket.CloseReason;
import java.util.function.Consumer;

/**
 * The websocket under one console stream, as its container offers it: Jetty's core websocket on the
 * embedded server ({@link CoreConsoleSocket}), the Jakarta API in a WAR ({@link
 * ConsoleStreamEndpoint}). {@link ConsoleSession} and {@link ConsoleStream} speak only to this.
 *
 * <p><b>Threads.</b> Callable from any thread. At most one {@link #sendText} is in flight at a time
 * (the caller's rule, the portable one of Jakarta's async remote); pings and closes may cross it.
 * No method throws: a websocket that is gone reports it to {@code done} or drops the call.
 */
interface ConsoleSocket {
  /**
   * Sends {@code message} as one text message; {@code done} is called once, with null when it was
   * written and with the failure when it cannot be (the client went away).
   */
  void sendText(TextQueue.Message message, Consumer<Throwable> done);

  /** Sends an empty ping; a failure is dropped (the websocket's idle timeout or close tells). */
  void sendPing();

  /** Closes with {@code reason}: a close frame after what was sent, then the connection. */
  void close(CloseReason reason);
}
