/**
 * Implementation details of the registry module (JSON mapping, bounded ZooKeeper reads, the persistent
 * node used for registrations). Not API: other modules must not use these classes; they may change
 * without notice.
 */
package org.fingerpost.registry.internal;
