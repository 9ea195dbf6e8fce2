package org.fingerpost.webapp.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decision of one request: unknown rules, open and protected tenants, missing/refused/denied tokens. */
class AccessControlTest {
  static final String SECRET = "s";
  static final String ISS = "https://hs";

  /** A rules source that is unknown until set. */
  static final class SettableRules implements RulesSource {
    volatile AccessRules rules;

    @Override
    public AccessRules current() {
      return rules;
    }

    @Override
    public AccessRules await(Duration timeout) {
      return rules;
    }
  }

  final SettableRules rules = new SettableRules();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final AccessControl access = new AccessControl(Authenticators.create(AuthSettings.fromSections(Map.of("auth a",
      Map.of("driver", "HS256", "secret", SECRET, "issuer_id", ISS, "client_id", "zuul", "realm", "corp"))),
      HttpClient.newHttpClient(), Clock.systemUTC()), rules, new AuthMetrics(meters), Duration.ZERO);

  static String token(List<String> groups) {
    return TestTokens.hs256(SECRET, TestTokens.claims(ISS, "zuul", "u", Map.of("groups", groups)).build());
  }

  @Test
  void unknownRulesCloseEveryTenant() throws Exception {
    assertTrue(access.needsCheck("any"));
    assertEquals(AccessDecision.Outcome.UNAVAILABLE, access.authorize("any", token(List.of()), "MissingAuthError").outcome());
    assertEquals(true, access.capabilities("any").get("read_protected"));
  }

  @Test
  void openTenantsNeedNoToken() throws Exception {
    rules.rules = AccessRules.fromUnparsedAbide(AccessRulesTest.ABIDE);
    assertFalse(access.needsCheck("open"));
    assertTrue(access.authorize("open", null, "MissingAuthError").granted());
  }

  @Test
  void protectedTenantsDecideByTokenAndRules() throws Exception {
    rules.rules = AccessRules.fromUnparsedAbide(AccessRulesTest.ABIDE);
    assertTrue(access.needsCheck("secret"));
    AccessDecision missing = access.authorize("secret", null, "BearerTokenRequiredError");
    assertEquals(AccessDecision.Outcome.REFUSED, missing.outcome());
    assertEquals("BearerTokenRequiredError", missing.error().name());
    assertEquals("corp", missing.realm(), "the tenant's authentication-realm");
    assertEquals(AccessDecision.Outcome.REFUSED, access.authorize("secret", "garbage", "MissingAuthError").outcome());
    assertEquals(AccessDecision.Outcome.DENIED, access.authorize("secret", token(List.of("x")), "M").outcome());
    assertTrue(access.authorize("secret", token(List.of("readers")), "M").granted());
    assertEquals(1.0, meters.get("fingerpost.web.authentications").tag("reason", "AuthTokenUndecodedException")
        .counter().count());
    assertEquals(2.0, meters.get("fingerpost.web.authentications").tag("result", "accepted").counter().count());
    assertEquals(1.0, meters.get("fingerpost.web.authorizations").tag("result", "granted").counter().count());
    assertNull(access.capabilities(null).get("missing"));
  }

  @Test
  void decidesAtOnceOnlyWhenNothingMustBeWaitedFor() throws Exception {
    assertNull(access.authorizeIfReady("secret", token(List.of("readers")), "M"), "rules unknown: a lookup thread waits");
    rules.rules = AccessRules.fromUnparsedAbide(AccessRulesTest.ABIDE);
    assertTrue(access.authorizeIfReady("secret", token(List.of("readers")), "M").granted());
    assertEquals(AccessDecision.Outcome.DENIED, access.authorizeIfReady("secret", token(List.of()), "M").outcome());
  }
}
