/**
 * The transport plugin contract of Fingerpost.
 *
 * <p>A {@link org.fingerpost.transport.LogTransport} opens the live log of one build at one resolved
 * {@link org.fingerpost.transport.StreamTarget} and pushes its bytes into a
 * {@link org.fingerpost.transport.LogSink}. Transports are found with {@link java.util.ServiceLoader},
 * from the classpath and from a {@code plugins/} directory of jars ({@link
 * org.fingerpost.transport.Transports}). This module depends on nothing but the JDK, so a third-party
 * plugin compiles against it alone.
 *
 * <h2>Version and compatibility policy</h2>
 *
 * <p>This package is versioned as a whole by {@link org.fingerpost.transport.LogTransport#SPI_VERSION}
 * (currently 1), which the daemon logs when it starts its transports. It is a compile-time constant:
 * read in a plugin's code it is the version the plugin was compiled against.
 *
 * <p><b>What a plugin may rely on.</b> Every public type and member of this package and the contracts
 * their javadoc states (the {@link org.fingerpost.transport.LogSink} ordering, backpressure and buffer
 * rules; selection by priority; the wire texts of {@link org.fingerpost.transport.StreamException.Kind};
 * {@code start} once before {@code open}, {@code close} once at shutdown). Nothing else: not the classes
 * of other Fingerpost modules, not any {@code internal} package, not the order in which transports are
 * discovered, not the text of log messages.
 *
 * <p><b>What may change while {@code SPI_VERSION} stays the same</b> (any Fingerpost release):
 * additions only, so that a plugin compiled against an earlier release of the same version keeps
 * compiling and running: new types, new static members and constants, new default methods, new
 * builder methods and new optional parts of a {@link org.fingerpost.transport.StreamTarget} (absent
 * unless the routing rule sets them), new {@link org.fingerpost.transport.TransportSettings} keys,
 * and clarified javadoc that does not change what a plugin must do.
 *
 * <p><b>Breaking changes</b> (removing or changing a public member, adding an abstract method, a new
 * {@code StreamException.Kind}, a stricter contract) raise {@code SPI_VERSION} by one. They are
 * announced in the release notes and in docs/plugins.md ("Writing a transport plugin") with what a
 * plugin has to change, and where possible the old member stays one release as {@code @Deprecated}
 * before it goes. A plugin compiled against another version may then fail to load or start; the
 * daemon reports it as a problem and carries on without it.
 */
package org.fingerpost.transport;
