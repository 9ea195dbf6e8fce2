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

  /** A body over {@code maxBytes} ({@code webhooks.max_body_bytes}): 413. */
  static Refusal tooLarge(long maxBytes) {
    return new Refusal(413, "body_too_large", "Request body exceeds " + maxBytes + " bytes.");
  }

  /** A body that could not be read to its end: 400. */
  static Refusal unreadable() {
    return new Refusal(400, "body_unreadable", "Request body could not be read.");
  }

  public int status() {
    return status;
  }

  /** A short tag for metrics and logs, for example {@code signature_mismatch}. */
  public String reason() {
    return reason;
  }
}
