package org.fingerpost.webapp.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSONPath subset of claim names. */
class ClaimPathTest {
  static final Map<String, Object> CLAIMS = Map.of(
      "sub", "alice",
      "groups", List.of("ci", "ops"),
      "resource_access", Map.of("zuul", Map.of("roles", List.of("reader"))),
      "https://example.com/teams", List.of("blue"));

  @Test
  void followsDottedQuotedAndBracketedPaths() {
    assertEquals("alice", ClaimPath.parse("sub").find(CLAIMS));
    assertEquals("alice", ClaimPath.parse("$.sub").find(CLAIMS));
    assertEquals(List.of("reader"), ClaimPath.parse("resource_access.zuul.roles").find(CLAIMS));
    assertEquals(List.of("reader"), ClaimPath.parse("resource_access['zuul'].roles").find(CLAIMS));
    assertEquals(List.of("blue"), ClaimPath.parse("\"https://example.com/teams\"").find(CLAIMS));
    assertEquals("ops", ClaimPath.parse("groups[1]").find(CLAIMS));
    assertNull(ClaimPath.parse("resource_access.other.roles").find(CLAIMS));
    assertNull(ClaimPath.parse("groups[5]").find(CLAIMS));
  }

  @Test
  void refusesWhatItCannotEvaluateExactly() {
    assertThrows(IllegalArgumentException.class, () -> ClaimPath.parse("groups[*]"));
    assertThrows(IllegalArgumentException.class, () -> ClaimPath.parse("a['b"));
    assertThrows(IllegalArgumentException.class, () -> ClaimPath.parse(""));
  }
}
