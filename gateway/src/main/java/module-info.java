/** The zone's finger gateway: one stream front behind a finger server. */
module org.fingerpost.gateway {
  requires transitive org.fingerpost.streams;
  requires transitive org.fingerpost.transport.finger;
  requires org.slf4j;

  exports org.fingerpost.gateway;
}
