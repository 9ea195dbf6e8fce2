/**
 * The one stream front that gateway and web nodes share ({@link org.fingerpost.streams.StreamFront}):
 * resolving a build to a target with the registry's routing rule ({@link
 * org.fingerpost.streams.StreamRouter}), opening it through the transports, sharing one upstream among
 * the viewers of a build ({@link org.fingerpost.streams.SharedStreams}, with a bounded queue per
 * viewer) and counting it all ({@link org.fingerpost.streams.StreamMetrics}). No ZooKeeper code: the
 * registry module is read through its public types.
 */
package org.fingerpost.streams;
