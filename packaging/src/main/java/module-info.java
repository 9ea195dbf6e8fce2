/**
 * The {@code fingerpost} command (the fat jar): configuration, wiring, monitoring and the demo. Exports
 * nothing; the fat jar runs on the classpath (the shade plugin drops every module descriptor).
 */
module org.fingerpost.packaging {
  requires org.fingerpost.gateway;
  requires org.fingerpost.streamer;
  requires org.fingerpost.webapp;
  requires org.eclipse.jetty.http;
  requires org.eclipse.jetty.ee10.websocket.jakarta.server;
  requires org.fingerpost.config;
  requires micrometer.registry.prometheus;
  requires info.picocli;
  requires java.logging;
  requires jul.to.slf4j;
  requires org.slf4j;

  // picocli builds the commands reflectively.
  opens org.fingerpost.packaging;
}
