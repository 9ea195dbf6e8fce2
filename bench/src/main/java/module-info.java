/** Benchmarks (bench/run, docs/benchmarks.md): tooling that drives the daemons through their public API. */
module org.fingerpost.bench {
  requires org.fingerpost.gateway;
  requires org.fingerpost.streamer;
  requires org.fingerpost.transport.tls;
  requires org.fingerpost.webapp;
  requires curator.test;
  requires org.eclipse.jetty.websocket.client;
  requires com.nimbusds.jose.jwt;
  requires java.management;
  requires jdk.management;
  requires java.net.http;
  requires org.slf4j;
}
