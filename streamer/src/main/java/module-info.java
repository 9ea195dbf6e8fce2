/** The executor-side daemon: serves the console logs of running builds over finger. */
module org.fingerpost.streamer {
  requires transitive org.fingerpost.registry;
  requires transitive org.fingerpost.transport.finger;
  requires org.slf4j;

  exports org.fingerpost.streamer;
}
