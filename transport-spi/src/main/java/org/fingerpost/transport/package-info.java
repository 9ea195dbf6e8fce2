/**
 * The transport plugin contract of Fingerpost.
 *
 * <p>A {@link org.fingerpost.transport.LogTransport} opens the live log of one build at one resolved
 * {@link org.fingerpost.transport.StreamTarget} and pushes its bytes into a
 * {@link org.fingerpost.transport.LogSink}. Transports are found with {@link java.util.ServiceLoader},
 * from the classpath and from a {@code plugins/} directory of jars ({@link
 * org.fingerpost.transport.Transports}). This module depends on nothing but the JDK, so a third-party
 * plugin compiles against it alone.
 */
package org.fingerpost.transport;
