/**
 * The helpers every module's tests share (test scope only), in the spirit of {@code curator-test} and
 * {@code okhttp-testing-support}: one of each, instead of a copy per module.
 *
 * <ul>
 *   <li>{@link org.fingerpost.testing.RecordingSink}: a {@code LogSink} that records what a transport
 *       delivers and checks the SPI's ordering and backpressure rules;</li>
 *   <li>{@link org.fingerpost.testing.RawFingerClient}: a raw blocking finger client (one socket);</li>
 *   <li>{@link org.fingerpost.testing.TestPki}: throwaway CAs and certificates, as PEM files or key stores;</li>
 *   <li>{@link org.fingerpost.testing.TestZooKeeper}: Curator's in-process ZooKeeper server with a short
 *       tick, an observing client, real session expiry;</li>
 *   <li>{@link org.fingerpost.testing.Await}: Awaitility with the project's timeout, for every
 *       wait-until-true in the tests (no sleeps, no hand-written poll loops).</li>
 * </ul>
 *
 * <p><b>Why it depends on the SPI alone.</b> A module's tests cannot use an artifact that itself
 * depends on that module (Maven rejects the cycle). Everything here needs only the SPI, BouncyCastle,
 * Curator's test server and Awaitility, so every Fingerpost module above the SPI (and a third-party
 * transport plugin, see docs/plugins.md) can use it in test scope. Helpers that need higher modules live
 * above them: the cluster builder (registry and streamer) in {@code test-cluster}, whose gateway or web
 * front is given by the test as a callback; the two registry-client shortcuts ({@code ZkTesting.config}
 * and {@code ZkTesting.registry}) in the registry's test-jar, because the registry's own tests use them.
 * The SPI's own tests, below this module, keep their small inline sinks.
 *
 * <p>Nothing here is used by main code; the artifact is never packaged into the fat jar or the WAR.
 */
package org.fingerpost.testing;
