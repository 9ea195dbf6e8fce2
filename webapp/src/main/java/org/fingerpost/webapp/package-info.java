/**
 * The web tier: REST API, console-stream websocket (docs/design.md 3.2), live-log page and routing table.
 * {@link org.fingerpost.webapp.WebServer} runs it on embedded Jetty (the fat jar's {@code web} and
 * {@code demo} commands); {@link org.fingerpost.webapp.WarBootstrap} runs the same code as a WAR.
 */
package org.fingerpost.webapp;
