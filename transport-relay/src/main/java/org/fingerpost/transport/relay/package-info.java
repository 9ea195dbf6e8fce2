/**
 * The cross-zone {@code relay} transport: reaches a build through its zone's gateway (DESIGN.md 3.4).
 *
 * <p>Not built yet: it arrives with the zones issue. Until then a {@link
 * org.fingerpost.transport.StreamTarget.Route#GATEWAY} target chosen by the routing rule is a plain
 * finger endpoint that the {@code finger} transport opens like any other.
 */
package org.fingerpost.transport.relay;
