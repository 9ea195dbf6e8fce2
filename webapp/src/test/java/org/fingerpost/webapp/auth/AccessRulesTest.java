package org.fingerpost.webapp.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tenants' access and admin rules, realms, the api-root, the zuul.admin override; both sources' syntax. */
class AccessRulesTest {
  static final Map<String, Object> ABIDE = Map.of(
      "tenants", Map.of(
          "secret", Map.of("name", "secret", "access-rules", List.of("readers"), "admin-rules", "admins",
              "authentication-realm", "corp"),
          "open", Map.of("name", "open")),
      "authz_rules", List.of(
          Map.of("name", "readers", "conditions", List.of(Map.of("groups", "readers"))),
          Map.of("name", "admins", "conditions", List.of(Map.of("groups", "admins")))),
      "api_roots", List.of(Map.of("access-rules", List.of("readers"))));

  static AuthenticatedUser user(Map<String, Object> claims) {
    return new AuthenticatedUser("corp", "u", claims);
  }

  @Test
  void protectsTenantsWithAccessRules() {
    AccessRules r = AccessRules.fromUnparsedAbide(ABIDE);
    assertTrue(r.isProtected("secret"));
    assertFalse(r.isProtected("open"));
    assertFalse(r.isProtected("unknown"), "Zuul runs no builds for tenants it does not have");
    assertTrue(r.isProtected(null), "the api-root has access rules");
    assertEquals("corp", r.realm("secret"));
    assertEquals(List.of("secret"), r.protectedTenants());
  }

  @Test
  void accessAdminAndOverrideGrant() {
    AccessRules r = AccessRules.fromUnparsedAbide(ABIDE);
    assertTrue(r.allows("secret", user(Map.of("groups", List.of("readers")))));
    assertTrue(r.allows("secret", user(Map.of("groups", List.of("admins")))), "admins may read");
    assertTrue(r.allows("secret", user(Map.of("zuul", Map.of("admin", List.of("secret"))))));
    assertFalse(r.allows("secret", user(Map.of("zuul", Map.of("admin", List.of("other"))))));
    assertFalse(r.allows("secret", user(Map.of("groups", List.of("others")))));
    assertTrue(r.allows(null, user(Map.of("groups", List.of("readers")))));
  }

  @Test
  void readsZuulsMainYamlSyntax(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("main.yaml");
    Files.writeString(file, """
        - authorization-rule:
            name: readers
            conditions:
              - groups: readers
        - tenant:
            name: secret
            access-rules: readers
            source: {}
        - tenant:
            name: open
        """);
    AccessRules r = new FileRules(file).current();
    assertTrue(r.isProtected("secret"));
    assertFalse(r.isProtected("open"));
    assertTrue(r.allows("secret", user(Map.of("groups", "readers"))));
  }
}
