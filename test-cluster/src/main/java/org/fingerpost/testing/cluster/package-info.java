/**
 * The one cluster builder of the end-to-end tests (test scope only): an in-process ZooKeeper, registry
 * sessions, streamers over job directories, transports from the classpath, and whatever front the test
 * adds.
 *
 * <p><b>Why a module of its own, and why the front is a callback.</b> The builder needs {@code registry}
 * and {@code streamer}, so it cannot live in {@code test-support} (which the registry's and the
 * streamer's own tests use). It must not depend on {@code gateway} or {@code webapp} either, because
 * their tests use it and Maven rejects the cycle. So it stops at the streamer: a gateway or web test
 * builds its front from the cluster's registry and transports and hands it to {@link
 * org.fingerpost.testing.cluster.TestCluster#own} (gateway's {@code GatewayCluster} and webapp's
 * {@code WebCluster} are those few lines, kept next to the tests that use them).
 */
package org.fingerpost.testing.cluster;
