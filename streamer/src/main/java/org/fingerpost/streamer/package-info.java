/**
 * The executor-side log streamer: {@link org.fingerpost.streamer.Streamer} serves the live logs of an
 * executor's job directory over finger (docs/design.md 3.1) and registers itself (and, standalone, its
 * builds) in ZooKeeper (docs/design.md 3.3); {@link org.fingerpost.streamer.StreamerSettings} holds its
 * settings.
 */
package org.fingerpost.streamer;
