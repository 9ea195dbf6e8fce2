/**
 * An example third-party transport: it needs the SPI module only. On the classpath (the daemon's
 * {@code plugins/} directory) the {@code META-INF/services} entry is what finds it; this descriptor
 * says the same for the module path.
 */
module org.fingerpost.example.tcp {
  requires transitive org.fingerpost.transport;

  exports org.fingerpost.example.tcp;

  provides org.fingerpost.transport.LogTransport
      with org.fingerpost.example.tcp.TcpExampleTransport;
}
