/**
 * The ZooKeeper side of Fingerpost (Curator): components, builds, events, tenants and the routing of
 * a build to its zone. Curator and ZooKeeper ship no module descriptors and are read as automatic
 * modules ({@code curator.*}, {@code zookeeper}, names derived from their jar files). ZooKeeper's
 * two jars split packages ({@code org.apache.zookeeper.server.*}), so {@code zookeeper-jute} (which
 * holds {@code org.apache.zookeeper.data.Stat}) stays on the classpath and this module's pom lets it
 * read the classpath when it compiles.
 */
module org.fingerpost.registry {
  requires transitive org.fingerpost.transport;
  requires org.fingerpost.pem;
  requires transitive curator.framework;
  requires transitive curator.client;
  requires curator.recipes;
  requires transitive zookeeper;
  requires com.fasterxml.jackson.core;
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.annotation;
  requires org.slf4j;

  exports org.fingerpost.registry;
  exports org.fingerpost.registry.events;
  exports org.fingerpost.registry.tenants;

  // Jackson reads and writes the registry's records reflectively (znode payloads).
  opens org.fingerpost.registry to com.fasterxml.jackson.databind;
  opens org.fingerpost.registry.events to com.fasterxml.jackson.databind;
  opens org.fingerpost.registry.tenants to com.fasterxml.jackson.databind;
}
