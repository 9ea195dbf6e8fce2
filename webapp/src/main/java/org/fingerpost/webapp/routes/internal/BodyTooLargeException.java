package org.fingerpost.webapp.routes.internal;

import java.nio.charset.StandardCharsets;

/** A request body went past {@code proxy_max_body_bytes}: the client gets 413. */
final class BodyTooLargeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BodyTooLargeException(long limit) {
    super(message(limit), null, false, false);
  }

  /** The JSON body of the 413 a declared {@code Content-Length} past {@code limit} gets at once. */
  static byte[] json(long limit) {
    return ("{\"message\": \"" + message(limit) + "\"}").getBytes(StandardCharsets.US_ASCII);
  }

  private static String message(long limit) {
    return "Request body larger than " + limit + " bytes";
  }
}
