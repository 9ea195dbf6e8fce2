/**
 * The cross-zone {@code relay} transport (docs/design.md 3.4): {@link
 * org.fingerpost.transport.relay.RelayTransport} opens {@link
 * org.fingerpost.transport.StreamTarget.Route#GATEWAY} targets through a gateway of the executor's
 * zone, failing over to the zone's other running gateways and finally to the executor itself. Each hop
 * is delegated to the transport that supports it (plain finger or TLS).
 */
package org.fingerpost.transport.relay;
