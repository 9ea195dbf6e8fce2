package org.fingerpost.webapp.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which REST paths are guarded and by which tenant (the end-to-end answers are in ProtectedConsoleStreamTest). */
class RestAccessFilterTest {
  @Test
  void everythingUnderATenantButItsInfoIsGuarded() {
    assertEquals("t1", RestAccessFilter.subject(List.of("api", "tenant", "t1", "build", "abc", "stream")));
    assertEquals("t1", RestAccessFilter.subject(List.of("api", "tenant", "t1", "builds")));
    assertNull(RestAccessFilter.subject(List.of("api", "tenant", "t1", "info")));
    assertEquals("", RestAccessFilter.subject(List.of("api", "components")), "the API root");
    assertNull(RestAccessFilter.subject(List.of("api", "info")));
    assertNull(RestAccessFilter.subject(List.of("metrics")));
    assertNull(RestAccessFilter.subject(List.of("t", "t1", "build", "abc")), "the page itself carries no log");
    // Fingerpost's own API under /fingerpost/ follows the same rules.
    assertEquals("t1", RestAccessFilter.subject(List.of("fingerpost", "api", "tenant", "t1", "builds")));
    assertEquals("t1", RestAccessFilter.subject(List.of("fingerpost", "api", "tenant", "t1", "build", "abc", "stream")));
    assertEquals("", RestAccessFilter.subject(List.of("fingerpost", "api", "components")));
    assertNull(RestAccessFilter.subject(List.of("fingerpost", "api", "info")));
    assertNull(RestAccessFilter.subject(List.of("fingerpost", "t", "t1", "build", "abc")));
    assertNull(RestAccessFilter.subject(List.of("fingerpost", "t", "t1")), "the landing page lists nothing itself");
  }

  @Test
  void bearerHeader() {
    assertEquals("abc", RestAccessFilter.bearer("Bearer abc"));
    assertEquals("abc", RestAccessFilter.bearer("bearer  abc "));
    assertNull(RestAccessFilter.bearer("Basic dXNlcg=="));
    assertNull(RestAccessFilter.bearer(null));
  }
}
