/** The {@code relay} transport: a stream through another zone's gateway, with failover. */
module org.fingerpost.transport.relay {
  requires transitive org.fingerpost.transport;
  requires org.slf4j;

  exports org.fingerpost.transport.relay;

  provides org.fingerpost.transport.LogTransport
      with org.fingerpost.transport.relay.RelayTransport;
}
