/**
 * The web tier: REST API, console-stream websocket and live-log page (DESIGN.md 3.2).
 *
 * <p>Not built yet: it arrives with the web issue. The module exists so the layout of DESIGN.md
 * section 2 builds from the start; it serves nothing.
 */
package org.fingerpost.webapp;
