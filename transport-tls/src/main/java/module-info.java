/**
 * Finger over mutual TLS ({@code tls} transport) and the listener TLS of gateway and streamer, both
 * found through the SPI so that no daemon names this module.
 */
module org.fingerpost.transport.tls {
  requires transitive org.fingerpost.transport;
  requires transitive org.fingerpost.transport.finger;
  requires org.fingerpost.pem;
  // Conscrypt (automatic module, name from its manifest); TlsProvider falls back to the JDK without it.
  requires org.conscrypt;
  requires org.slf4j;

  exports org.fingerpost.transport.tls;

  provides org.fingerpost.transport.LogTransport with org.fingerpost.transport.tls.TlsTransport;
  provides org.fingerpost.transport.ListenerTls with org.fingerpost.transport.tls.TlsListeners;
}
