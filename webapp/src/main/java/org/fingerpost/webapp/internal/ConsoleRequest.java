package org.fingerpost.webapp.internal;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The first message of a console-stream websocket (DESIGN.md 3.2):
 * {@code {"uuid": "<build>", "logfile": "console.log", "token": "..."}}.
 */
public final class ConsoleRequest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String uuid;
  private final String logfile;

  private ConsoleRequest(String uuid, String logfile) {
    this.uuid = uuid;
    this.logfile = logfile;
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
    return new ConsoleRequest(uuid, logfile);
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
