/**
 * Implementation of the finger transport: Jetty connections for the server and client side, the
 * stream guard that enforces the {@link org.fingerpost.transport.LogSink} rules, and small helpers.
 * Not API: other modules use {@link org.fingerpost.transport.finger} only.
 */
package org.fingerpost.transport.finger.internal;
