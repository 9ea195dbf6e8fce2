package org.fingerpost.transport.finger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The {@code +<hops>} extension of the request line (issue 15, finding 5). */
class FingerRequestHopsTest {
  @Test
  void parsesTheHopCountWithAndWithoutAnOffset() throws Exception {
    assertEquals(0, FingerRequest.parse("ab12").hops());
    FingerRequest r = FingerRequest.parse("ab12+3");
    assertEquals("ab12", r.buildId());
    assertEquals(3, r.hops());
    FingerRequest o = FingerRequest.parse("ab12@100+2\r");
    assertEquals("ab12", o.buildId());
    assertEquals(100, o.offset());
    assertEquals(2, o.hops());
  }

  @Test
  void writesItOnlyWhenThereIsOne() {
    assertEquals("ab12\n", FingerRequest.line("ab12", 0, 0));
    assertEquals("ab12+1\n", FingerRequest.line("ab12", 0, 1));
    assertEquals("ab12@7+2\n", FingerRequest.line("ab12", 7, 2));
  }

  @Test
  void aMalformedCountIsAnInvalidId() {
    assertEquals("Build ID ab12+ is not valid",
        assertThrows(FingerProtocolException.class, () -> FingerRequest.parse("ab12+")).wireMessage());
    assertEquals("Build ID ab12+1234 is not valid",
        assertThrows(FingerProtocolException.class, () -> FingerRequest.parse("ab12+1234")).wireMessage());
  }
}
