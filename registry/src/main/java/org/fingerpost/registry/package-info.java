/**
 * The ZooKeeper registry of Fingerpost: the Curator client ({@link org.fingerpost.registry.Registry}),
 * component registration and listing (Zuul's {@code /zuul/components} tree), the build directory
 * (Zuul's {@code /zuul/executor/...requests} tree), the zone routing rule ({@link
 * org.fingerpost.registry.ZoneRouter}, DESIGN.md 3.4) with the resolve-and-open path shared by the
 * gateway and the web tier ({@link org.fingerpost.registry.StreamRouter}), and an in-process ZooKeeper
 * server for the demo ({@link org.fingerpost.registry.EmbeddedZooKeeper}).
 *
 * <p>The layout and the JSON are Zuul's on purpose (DESIGN.md 3.3): a Fingerpost gateway can read a
 * real Zuul's registry, and a Zuul gateway can read what a Fingerpost streamer writes. The registry is
 * treated as an eventually consistent cache: nodes are re-created after session loss, and readers fail
 * fast with {@link org.fingerpost.registry.RegistryUnavailableException} rather than hang when
 * ZooKeeper is away.
 */
package org.fingerpost.registry;
