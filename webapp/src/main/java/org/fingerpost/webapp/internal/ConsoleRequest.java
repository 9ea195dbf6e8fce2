package org.fingerpost.webapp.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The first message of a console-stream websocket (docs/design.md 3.2):
 * {@code {"uuid": "<build>", "logfile": "console.log", "token": "...", "offset": 1234}}.
 *
 * <p>{@code offset} (optional, Fingerpost extension) is a count of bytes of the UTF-8 log: the stream
 * starts there. An offset inside a multi-byte character starts at the next character.
 */
public final class ConsoleRequest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String uuid;
  private final String logfile;
  private final long offset;
  private final String token;

  private ConsoleRequest(String uuid, String logfile, long offset, String token) {
    this.uuid = uuid;
    this.logfile = logfile;
    this.offset = offset;
    this.token = token;
  }

  /** The bearer token of the message, null when absent or empty; never log it. */
  public String token() {
    return token;
  }

  /** First byte of the log to send; 0 when the message has no {@code offset}. */
  public long offset() {
    return offset;
  }

  public String uuid() {
    return uuid;
  }

  public String logfile() {
    return logfile;
  }

  /**
   * Parses the message.
   *
   * @throws BadRequest with the close reason of code 4000
   */
  public static ConsoleRequest parse(String text) throws BadRequest {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JacksonException e) {
      throw new BadRequest("Invalid JSON in request payload");
    }
    if (node == null || !node.isObject()) {
      throw new BadRequest("Invalid JSON in request payload");
    }
    String uuid = text(node, "uuid");
    String logfile = text(node, "logfile");
    if (uuid == null) {
      throw new BadRequest("'uuid' missing from request payload");
    }
    if (logfile == null) {
      throw new BadRequest("'logfile' missing from request payload");
    }
    long offset = 0;
    JsonNode o = node.get("offset");
    if (o != null && !o.isNull()) {
      if (!o.isIntegralNumber() || !o.canConvertToLong() || o.asLong() < 0) {
        throw new BadRequest("'offset' must be a non-negative integer");
      }
      offset = o.asLong();
    }
    String token = text(node, "token");
    return new ConsoleRequest(uuid, logfile, offset, token == null || token.isBlank() ? null : token.trim());
  }

  private static String text(JsonNode node, String key) {
    JsonNode v = node.get(key);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  /** An unusable first message; the message is the close reason sent with code 4000. */
  public static final class BadRequest extends Exception {
    private static final long serialVersionUID = 1L;

    BadRequest(String reason) {
      super(reason);
    }
  }
}
