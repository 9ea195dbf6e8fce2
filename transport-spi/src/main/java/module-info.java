/**
 * The transport plugin contract (docs/plugins.md): the only Fingerpost module a third-party plugin
 * compiles against. Depends on the JDK alone. {@link org.fingerpost.transport.Transports} and {@link
 * org.fingerpost.transport.ListenerTls} call {@link java.util.ServiceLoader} here, so the {@code uses}
 * clauses live in this module; providers declare {@code provides} in theirs and keep their {@code
 * META-INF/services} entry for the classpath (the fat jar, the WAR and the {@code plugins/} directory
 * all load them from the classpath).
 */
module org.fingerpost.transport {
  // Logs through java.util.logging: the SPI depends on nothing but the JDK.
  requires java.logging;

  exports org.fingerpost.transport;

  uses org.fingerpost.transport.LogTransport;
  uses org.fingerpost.transport.ListenerTls;
}
