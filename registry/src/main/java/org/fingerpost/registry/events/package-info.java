/**
 * Zuul's event queues in ZooKeeper, write side: {@link org.fingerpost.registry.events.EventQueues}
 * and its {@link org.fingerpost.registry.events.ConnectionEventQueue}s write connection events (for
 * example webhooks) exactly as Zuul's web server does, so that a Zuul scheduler consumes them.
 * ZooKeeper only; no HTTP.
 */
package org.fingerpost.registry.events;
