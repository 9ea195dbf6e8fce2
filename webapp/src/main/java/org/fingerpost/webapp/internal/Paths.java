package org.fingerpost.webapp.internal;

/**
 * Where the web tier's own endpoints live (docs/web-tier.md "Paths"): everything of Fingerpost's under
 * {@value #OWN} except the console-stream websocket, health and metrics, which sit where Zuul has them.
 * Paths are relative to the servlet context, as Jersey's {@code @Path} takes them.
 */
public final class Paths {
  /** The prefix of Fingerpost's own endpoints; Zuul uses no such path. */
  public static final String OWN = "fingerpost";
  /** Fingerpost's REST API. */
  public static final String API = OWN + "/api";

  private Paths() {}
}
