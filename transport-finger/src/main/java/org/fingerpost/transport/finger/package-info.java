/**
 * Finger (RFC 1288 subset, Zuul-compatible) for Fingerpost: the request codec ({@link
 * org.fingerpost.transport.finger.FingerRequest}), the non-blocking server front used by the
 * streamer and the gateway ({@link org.fingerpost.transport.finger.FingerServer} with a {@link
 * org.fingerpost.transport.finger.FingerHandler} per request and a {@link
 * org.fingerpost.transport.finger.FingerExchange} per client), and the plain client transport
 * ({@link org.fingerpost.transport.finger.FingerClient}, {@link
 * org.fingerpost.transport.finger.FingerTransport}, name {@code finger}). All I/O is Jetty 12's
 * non-blocking I/O layer: no thread per stream, bounded memory per stream.
 */
package org.fingerpost.transport.finger;
