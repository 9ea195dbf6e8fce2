package org.fingerpost.transport.finger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FingerRequestTest {

  @ParameterizedTest
  @ValueSource(strings = {"0", "abcdef0123456789", "ABCDEF", "5f3c2e1a9b7d4c6e8f0a1b2c3d4e5f60", "aBc123"})
  void acceptsHexIds(String id) throws Exception {
    FingerRequest request = FingerRequest.parse(id);
    assertEquals(id, request.buildId());
    assertFalse(request.longFormat());
  }

  @Test
  void stripsCarriageReturnAndTrailingWhitespace() throws Exception {
    assertEquals("abc123", FingerRequest.parse("abc123\r").buildId());
    assertEquals("abc123", FingerRequest.parse("abc123 \t \r").buildId());
  }

  @Test
  void acceptsLongFormatPrefix() throws Exception {
    FingerRequest request = FingerRequest.parse("/W 0123abcd\r");
    assertEquals("0123abcd", request.buildId());
    assertTrue(request.longFormat());
  }

  @Test
  void rejectsPathTraversal() {
    FingerProtocolException e = assertThrows(FingerProtocolException.class,
        () -> FingerRequest.parse("../../etc/passwd"));
    assertEquals("Build ID ../../etc/passwd is not valid", e.wireMessage());
  }

  @Test
  void rejectsEmptyLine() {
    assertEquals("Build ID  is not valid",
        assertThrows(FingerProtocolException.class, () -> FingerRequest.parse("")).wireMessage());
    assertEquals("Build ID  is not valid",
        assertThrows(FingerProtocolException.class, () -> FingerRequest.parse("\r")).wireMessage());
    assertEquals("Build ID  is not valid",
        assertThrows(FingerProtocolException.class, () -> FingerRequest.parse("/W ")).wireMessage());
  }

  @Test
  void replacesNonPrintablesInTheMessage() {
    FingerProtocolException e = assertThrows(FingerProtocolException.class,
        () -> FingerRequest.parse("ab\u0007c\u001b[31m\u0000"));
    assertEquals("Build ID ab?c?[31m? is not valid", e.wireMessage());
    FingerProtocolException unicode = assertThrows(FingerProtocolException.class,
        () -> FingerRequest.parse("caf\u00e9\ud83d\ude00\ufffd"));
    assertEquals("Build ID caf??? is not valid", unicode.wireMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"ab cd", " abc", "abcg", "0x12", "abc/def", "/w abc", "/Wabc"})
  void rejectsEverythingElse(String line) {
    FingerProtocolException e = assertThrows(FingerProtocolException.class, () -> FingerRequest.parse(line));
    assertTrue(e.wireMessage().startsWith("Build ID "), e.wireMessage());
    assertTrue(e.wireMessage().endsWith(" is not valid"), e.wireMessage());
  }

  @Test
  void limitsAreTheZuulOnes() {
    assertEquals(1024, FingerRequest.MAX_LINE_BYTES);
    assertEquals(Duration.ofSeconds(10), FingerRequest.REQUEST_TIMEOUT);
  }

  @Test
  void offsetExtensionIsParsed() throws Exception {
    FingerRequest r = FingerRequest.parse("abc123@4096\r");
    assertEquals("abc123", r.buildId());
    assertEquals(4096, r.offset());
    assertEquals(0, FingerRequest.parse("abc123").offset());
    assertEquals("abc123@7\n", FingerRequest.line("abc123", 7));
    assertEquals("abc123\n", FingerRequest.line("abc123", 0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc@", "abc@-1", "abc@1x", "@5", "abc@1234567890123456789", "abc@5@6"})
  void malformedOffsetsAreRejected(String line) {
    assertThrows(FingerProtocolException.class, () -> FingerRequest.parse(line));
  }
}
