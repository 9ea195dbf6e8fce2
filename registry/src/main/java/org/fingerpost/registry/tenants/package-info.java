/**
 * Zuul's tenant configuration in ZooKeeper ({@code /zuul/system/conf}) read the way Zuul's own
 * components read it: under a kazoo-compatible read lock, verified against torn reads, watched.
 * ZooKeeper only: the rules it carries are interpreted by the web tier.
 */
package org.fingerpost.registry.tenants;
