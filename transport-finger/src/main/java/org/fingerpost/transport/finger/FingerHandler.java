package org.fingerpost.transport.finger;

/**
 * Serves one parsed finger request; the application part of a {@link FingerServer} (the streamer
 * tails a file into the exchange, the gateway opens an upstream stream into it).
 *
 * <p><b>Threads.</b> Called once per connection on a server pool thread, right after the request
 * line was parsed. It must not block on the network: it starts the work (registering {@link
 * FingerExchange#onClose} to free it) and returns; the bytes then flow asynchronously.
 *
 * <p><b>Ownership and errors.</b> The handler owns the exchange from this call on and ends it with
 * {@link FingerExchange#onEnd}, {@link FingerExchange#onError} or {@link FingerExchange#fail}. If it
 * throws, the server logs the exception and closes the connection (writing the server's {@code
 * requestErrorMessage} first, when one is configured).
 */
@FunctionalInterface
public interface FingerHandler {

  /** Starts serving {@code request} into {@code exchange}; see the class comment. */
  void handle(FingerRequest request, FingerExchange exchange);
}
