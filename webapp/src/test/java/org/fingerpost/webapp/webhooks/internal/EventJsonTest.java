package org.fingerpost.webapp.webhooks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The byte path (plain ASCII bodies) and the decoded path parse alike and refuse alike. */
class EventJsonTest {
  private final EventJson json = new EventJson(25L * 1024 * 1024);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void asciiAndNonAsciiBodiesParseToTheSameValues() {
    byte[] ascii = utf8("{\"title\": \"caf\\u00e9\", \"n\": 12345678901234567890, \"x\": NaN}");
    byte[] raw = utf8("{\"title\": \"café\", \"n\": 12345678901234567890, \"x\": NaN}");
    assertTrue(EventJson.plainAscii(ascii, ascii.length));
    assertFalse(EventJson.plainAscii(raw, raw.length));
    assertEquals(json.parse(raw, raw.length), json.parse(ascii, ascii.length));
    assertEquals("café", json.parse(ascii, ascii.length).get("title").asText());
  }

  @Test
  void onlyTheGivenLengthIsRead() {
    byte[] body = utf8("{\"a\": 1}garbage");
    assertEquals(1, json.parse(body, 8).get("a").asInt());
  }

  @Test
  void refusalsAreTheSameOnBothPaths() {
    for (String bad : new String[] {"{\"a\": 1} 2", "{\"a\": ", "", "   "}) {
      byte[] b = utf8(bad);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> json.parse(b, b.length), bad);
      assertTrue(e.getMessage().startsWith("Request body is not valid JSON"), e.getMessage());
    }
    byte[] bom = utf8("\uFEFF{}");
    assertThrows(IllegalArgumentException.class, () -> json.parse(bom, bom.length));
    byte[] notUtf8 = {'{', '"', 'a', '"', ':', ' ', '"', (byte) 0xC3, '"', '}'};
    assertEquals("Request body is not UTF-8.",
        assertThrows(IllegalArgumentException.class, () -> json.parse(notUtf8, notUtf8.length)).getMessage());
  }

  @Test
  void nulBytesNeverReachJacksonsEncodingDetection() {
    // As UTF-16BE these bytes would read as {}; as UTF-8 (what Zuul decodes) they are not JSON.
    byte[] utf16Looking = {0, '{', 0, '}'};
    assertFalse(EventJson.plainAscii(utf16Looking, utf16Looking.length));
    assertThrows(IllegalArgumentException.class, () -> json.parse(utf16Looking, utf16Looking.length));
  }
}
