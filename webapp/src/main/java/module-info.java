/**
 * The web tier (docs/web.md): REST API, console-stream websocket, live-log page, webhooks and read
 * protection; embedded in the fat jar and deployed as a WAR. Exports only what the fat jar wires
 * ({@code packaging}) and the benchmarks drive; Jersey resources, websocket endpoints and the proxy
 * stay in the {@code internal} packages.
 *
 * <p>Containers, Jersey, HK2 and Jackson create and bind the web tier's classes reflectively, so the
 * packages holding resources, endpoints and JSON types are {@code opens} (reflection at run time, no
 * compile-time access). Jersey and micrometer ship no descriptors: automatic modules.
 */
module org.fingerpost.webapp {
  requires transitive org.fingerpost.registry;
  requires transitive org.fingerpost.streams;
  requires transitive org.fingerpost.config;
  requires transitive jakarta.servlet;
  requires transitive org.eclipse.jetty.server;
  requires transitive org.eclipse.jetty.ee10.servlet;
  requires transitive micrometer.core;
  requires jakarta.websocket;
  requires transitive jakarta.ws.rs;
  requires jersey.common;
  requires jersey.server;
  requires jersey.container.servlet.core;
  requires jersey.media.json.jackson;
  requires org.eclipse.jetty.ee10.proxy;
  requires org.eclipse.jetty.proxy;
  requires org.eclipse.jetty.client;
  requires org.eclipse.jetty.websocket.api;
  requires org.eclipse.jetty.websocket.client;
  requires org.eclipse.jetty.ee10.websocket.jakarta.server;
  requires org.eclipse.jetty.websocket.core.common;
  requires org.eclipse.jetty.websocket.core.server;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.annotation;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires transitive com.nimbusds.jose.jwt;
  requires transitive micrometer.registry.prometheus;
  requires transitive java.net.http;
  requires java.logging;
  requires org.slf4j;

  exports org.fingerpost.webapp;
  exports org.fingerpost.webapp.auth;
  exports org.fingerpost.webapp.routes;
  exports org.fingerpost.webapp.webhooks;

  opens org.fingerpost.webapp;
  opens org.fingerpost.webapp.auth;
  opens org.fingerpost.webapp.internal;
  opens org.fingerpost.webapp.routes.internal;
  opens org.fingerpost.webapp.webhooks.internal;
}
