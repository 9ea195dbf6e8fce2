/**
 * Implementation details of the stream front (a build's fan-out over its shared and catch-up
 * upstreams, per-viewer queues, offset skipping). Not API.
 */
package org.fingerpost.streams.internal;
