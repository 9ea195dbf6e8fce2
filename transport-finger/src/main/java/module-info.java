/**
 * The finger transport (RFC 1288 framing over Jetty's connector): server, client and the built-in
 * {@code finger} {@link org.fingerpost.transport.LogTransport}. The connection machinery stays in the
 * unexported {@code internal} package.
 */
module org.fingerpost.transport.finger {
  requires transitive org.fingerpost.transport;
  requires transitive org.eclipse.jetty.server;
  requires transitive org.eclipse.jetty.io;
  requires transitive org.eclipse.jetty.util;
  requires org.slf4j;

  exports org.fingerpost.transport.finger;

  provides org.fingerpost.transport.LogTransport
      with org.fingerpost.transport.finger.FingerTransport;
}
