/**
 * Implementation details of the web tier: the console-stream endpoint and its per-websocket stream,
 * the incremental UTF-8 decoder, the Jersey resources and error mapping, the proxy routes.
 */
package org.fingerpost.webapp.internal;
