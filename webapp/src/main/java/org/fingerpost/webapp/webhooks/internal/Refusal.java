package org.fingerpost.webapp.webhooks.internal;

/**
 * A delivery refused: the HTTP status, the metric/log reason and the message the sender reads (Zuul's
 * own wording where Zuul has one). Nothing was written to ZooKeeper for it.
 */
public final class Refusal extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String reason;

  Refusal(int status, String reason, String message) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
  }

  public int status() {
    return status;
  }

  /** A short tag for metrics and logs, for example {@code signature_mismatch}. */
  public String reason() {
    return reason;
  }
}
