package org.fingerpost.webapp.routes.internal;

/** A request body went past {@code proxy_max_body_bytes}: the client gets 413. */
final class BodyTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BodyTooLargeException(long limit) {
    super("Request body larger than " + limit + " bytes", null, false, false);
  }
}
