package org.fingerpost.webapp.webhooks.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Parses a webhook body as Zuul does ({@code json.loads(body.decode('utf-8'))}): strict UTF-8, no
 * byte-order mark, any JSON value at the top, Python's {@code NaN}/{@code Infinity} literals,
 * nothing after the value, integers of any size, floats as doubles. Nesting deeper than {@value
 * #MAX_NESTING_DEPTH} is refused (Python's recursion limit). Thread-safe.
 */
final class EventJson {
  /** Deepest nesting accepted (Python's default recursion limit is 1000). */
  static final int MAX_NESTING_DEPTH = 1000;
  /** Longest number accepted, in digits (Python's int-to-str limit is 4300 digits). */
  static final int MAX_NUMBER_LENGTH = 4300;

  private final ObjectMapper mapper;

  EventJson(long maxBodyBytes) {
    int maxString = (int) Math.min(Integer.MAX_VALUE, maxBodyBytes);
    JsonFactory factory = JsonFactory.builder()
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength(maxString).maxNestingDepth(MAX_NESTING_DEPTH).maxNumberLength(MAX_NUMBER_LENGTH).build())
        .build();
    this.mapper = JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  }

  /** @throws IllegalArgumentException with a message for the sender */
  JsonNode parse(byte[] body, int length) {
    try {
      JsonNode node;
      if (plainAscii(body, length)) {
        // Valid UTF-8 as it is, no byte-order mark, and nothing Jackson's encoding detection could
        // take for UTF-16 or UTF-32: parsed from the bytes, without decoding them into a String
        // first (that decode and the char copy were a third of the endpoint's CPU in bench/webhooks).
        node = mapper.readTree(body, 0, length);
      } else {
        node = mapper.readTree(strictUtf8(body, length));
      }
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("Request body is not valid JSON: empty.");
      }
      return node;
    } catch (java.io.IOException e) {
      String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new IllegalArgumentException("Request body is not valid JSON: " + why);
    }
  }

  /** Whether every byte is ASCII other than NUL (the common case of a webhook body). */
  static boolean plainAscii(byte[] body, int length) {
    for (int i = 0; i < length; i++) {
      if (body[i] <= 0) { // NUL, or a byte >= 0x80
        return false;
      }
    }
    return true;
  }

  private static String strictUtf8(byte[] body, int length) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body, 0, length)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("Request body is not UTF-8.");
    }
    if (!text.isEmpty() && text.charAt(0) == '\ufeff') {
      throw new IllegalArgumentException("Request body is not valid JSON: unexpected UTF-8 BOM.");
    }
    return text;
  }
}
