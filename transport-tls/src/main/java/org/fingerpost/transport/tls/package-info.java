/**
 * TLS hops with Conscrypt: the {@code tls} client transport (mutual TLS, SNI, hostname checks) and
 * the server-side TLS settings of the finger server (DESIGN.md 3.5).
 *
 * <p>Not built yet: it arrives with the TLS issue. Until then no transport supports a target with
 * {@code tls = true}, so such a stream fails with {@code Internal streaming error} and a log line
 * saying no transport supports it; nothing here pretends to encrypt.
 */
package org.fingerpost.transport.tls;
