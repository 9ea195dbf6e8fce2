package org.fingerpost.webapp.webhooks.internal;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.fingerpost.registry.events.PythonJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a webhook sender reads: a status and a JSON body {@code {"message": ...}}, the same from the
 * servlet (WAR) and from the embedded server's core handler. Immutable.
 */
public record WebhookAnswer(int status, byte[] json) {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookAnswer.class);
  private static final byte[] STORED = "{\"message\": \"Event stored\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PREFIX = "{\"message\": ".getBytes(StandardCharsets.US_ASCII);

  /** 200 when stored; the refusal's status and message; 500 (logged) for anything else. */
  public static WebhookAnswer of(String connection, Throwable error) {
    if (error == null) {
      return new WebhookAnswer(200, STORED);
    }
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof Refusal r) {
      return message(r.status(), r.getMessage());
    }
    LOG.error("Webhook to {} failed", connection, cause);
    return message(500, "Internal server error");
  }

  /** {@code {"message": text}} with {@code status}. */
  public static WebhookAnswer message(int status, String text) {
    byte[] quoted = PythonJson.dumpsString(text);
    byte[] out = new byte[PREFIX.length + quoted.length + 1];
    System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
    System.arraycopy(quoted, 0, out, PREFIX.length, quoted.length);
    out[out.length - 1] = '}';
    return new WebhookAnswer(status, out);
  }
}
