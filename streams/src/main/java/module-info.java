/** The stream front: resolving a build to its target and fanning one upstream out to many viewers. */
module org.fingerpost.streams {
  requires transitive org.fingerpost.transport;
  requires transitive org.fingerpost.registry;
  requires transitive micrometer.core;
  requires org.slf4j;

  exports org.fingerpost.streams;
}
