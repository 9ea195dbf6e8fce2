/** Implementation details of the stream front (per-viewer queues, offset skipping). Not API. */
package org.fingerpost.streams.internal;
