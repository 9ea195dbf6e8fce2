package org.fingerpost.webapp.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Zuul's claim rules: any alternative, all conditions, list contains / string equals, templates. */
class AuthorizationRuleTest {
  static AuthenticatedUser user(String uid, Map<String, Object> claims) {
    return new AuthenticatedUser("r", uid, claims);
  }

  @Test
  void alternativesAreOredAndConditionsAnded() {
    AuthorizationRule rule = AuthorizationRule.fromRaw(Map.of("name", "r", "conditions", List.of(
        Map.of("iss", "https://idp", "groups", "ci"),
        Map.of("sub", "root"))));
    assertTrue(rule.matches(user("a", Map.of("iss", "https://idp", "groups", List.of("ci", "x"))), "t"));
    assertFalse(rule.matches(user("a", Map.of("iss", "https://other", "groups", List.of("ci"))), "t"));
    assertTrue(rule.matches(user("root", Map.of("sub", "root")), "t"));
    assertFalse(rule.matches(user("a", Map.of("sub", List.of("rooted"))), "t"));
    assertFalse(rule.matches(user("a", Map.of("groups", 5)), "t"), "other types never match");
  }

  @Test
  void aSingleMappingIsOneAlternativeAndTemplatesUseTheTenant() {
    AuthorizationRule rule = AuthorizationRule.fromRaw(Map.of("name", "r", "conditions",
        Map.of("groups", "{tenant.name}-readers")));
    assertTrue(rule.matches(user("a", Map.of("groups", List.of("t1-readers"))), "t1"));
    assertFalse(rule.matches(user("a", Map.of("groups", List.of("t1-readers"))), "t2"));
    assertEquals("{literal}", AuthorizationRule.template("{{literal}}", "t"));
  }

  @Test
  void zuulUidIsTheAuthenticatorsUidClaim() {
    AuthorizationRule rule = AuthorizationRule.fromRaw(Map.of("name", "r", "conditions", List.of(
        Map.of("zuul_uid", "alice@example.com"))));
    assertTrue(rule.matches(user("alice@example.com", Map.of("sub", "123")), "t"));
    assertFalse(rule.matches(user("bob@example.com", Map.of("sub", "alice@example.com")), "t"));
  }
}
