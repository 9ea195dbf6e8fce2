package org.fingerpost.registry.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Expected strings are Python 3's {@code json.dumps(json.loads(input), sort_keys=True)}. */
class PythonJsonTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static String dumps(String json) throws Exception {
    return new String(PythonJson.dumps(JSON.readTree(json)), StandardCharsets.US_ASCII);
  }

  @Test
  void separatorsAndSortedKeys() throws Exception {
    assertEquals("{\"a\": [1, 2, {}], \"b\": {\"c\": null, \"d\": true}, \"e\": []}",
        dumps("{\"e\":[],\"b\":{\"d\":true,\"c\":null},\"a\":[1,2,{}]}"));
  }

  @Test
  void keysSortByCodePointNotUtf16Unit() throws Exception {
    // U+FF21 sorts before U+1F600 in Python (code points); Java's compareTo would put the surrogate first.
    assertEquals("{\"\\uff21\": 1, \"\\ud83d\\ude00\": 2}", dumps("{\"\uD83D\uDE00\":2,\"\uFF21\":1}"));
  }

  @Test
  void ensureAsciiEscapes() throws Exception {
    assertEquals("\"caf\\u00e9 \\\"q\\\" \\\\ \\n\\r\\t\\b\\f \\u0001 \\u007f ~\"",
        dumps("\"caf\u00e9 \\\"q\\\" \\\\ \\n\\r\\t\\b\\f \\u0001 \u007f ~\""));
  }

  @Test
  void floatsAsPythonRepr() {
    assertEquals("1e-05", PythonJson.pythonFloat(0.00001));
    assertEquals("0.0001", PythonJson.pythonFloat(0.0001));
    assertEquals("1e+16", PythonJson.pythonFloat(1e16));
    assertEquals("1000000000000000.0", PythonJson.pythonFloat(1e15));
    assertEquals("1.5", PythonJson.pythonFloat(1.5));
    assertEquals("-2.5e-07", PythonJson.pythonFloat(-2.5e-7));
    assertEquals("1.2345678901234567e+19", PythonJson.pythonFloat(12345678901234567890.0));
    assertEquals("100.0", PythonJson.pythonFloat(100));
    assertEquals("-0.0", PythonJson.pythonFloat(-0.0));
    assertEquals("Infinity", PythonJson.pythonFloat(Double.POSITIVE_INFINITY));
    assertEquals("NaN", PythonJson.pythonFloat(Double.NaN));
  }

  @Test
  void bigIntegersInFull() throws Exception {
    assertEquals("[123456789012345678901234567890, -1, 0]", dumps("[123456789012345678901234567890,-1,-0]"));
  }
}
