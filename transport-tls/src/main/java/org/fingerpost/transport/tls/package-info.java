/**
 * TLS hops with Conscrypt (docs/design.md 3.5): the {@code tls} client transport ({@link TlsTransport}:
 * mutual TLS, SNI, hostname checks), PEM loading through module {@code pem} ({@link org.fingerpost.pem.PemFiles}, shared with ZooKeeper TLS), the settings ({@link
 * TlsSettings}), the Jetty factories for both ends ({@link TlsContexts}), the provider choice with
 * its JDK fallback ({@link TlsProvider}) and certificate reload ({@link CertificateReloader}).
 *
 * <p>Gateway, streamer and packaging do not depend on this module: the packaging finds listener TLS
 * ({@link TlsListeners}) through {@link org.fingerpost.transport.ListenerTls} and {@link
 * java.util.ServiceLoader}, and hands its result to gateway and streamer as a Jetty {@code
 * SslContextFactory.Server}.
 */
package org.fingerpost.transport.tls;
