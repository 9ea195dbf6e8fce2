/**
 * The ZooKeeper registry of Fingerpost, and nothing else: the Curator client ({@link
 * org.fingerpost.registry.Registry}), component registration and listing (Zuul's {@code
 * /zuul/components} tree, with the {@code model_api} that follows Zuul's own components, {@link
 * org.fingerpost.registry.ModelApi}), the build directory (Zuul's {@code /zuul/executor/...requests}
 * tree) and the zone routing rule ({@link org.fingerpost.registry.ZoneRouter}, docs/design.md 3.4).
 *
 * <p>The layout and the JSON are Zuul's on purpose (docs/design.md 3.3): a Fingerpost gateway can read a
 * real Zuul's registry, and Zuul reads what Fingerpost writes. The registry is treated as an
 * eventually consistent cache: nodes are re-created after session loss, and readers fail fast with
 * {@link org.fingerpost.registry.RegistryUnavailableException} rather than hang when ZooKeeper is away.
 */
package org.fingerpost.registry;
