package org.fingerpost.webapp.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sections as each reader hands them over: names, drivers, required keys, units, errors. */
class AuthSettingsTest {
  @Test
  void readsAuthSectionsInOrderWithZuulsNameForms() {
    Map<String, Map<String, String>> s = new LinkedHashMap<>();
    s.put("zookeeper", Map.of("hosts", "x"));
    s.put("auth zuul_operator", Map.of("driver", "HS256", "secret", "s", "issuer_id", "i1", "realm", "r1"));
    s.put("auth 'keycloak'", Map.of("driver", "RS256withJWKS", "issuer_id", "https://kc", "realm", "r2",
        "skew", "5", "max_validity_time", "1.5"));
    s.put("access", Map.of("rules_wait", "2", "jwks_min_refetch", "0"));
    AuthSettings c = AuthSettings.fromSections(s);
    assertEquals(2, c.authenticators().size());
    AuthenticatorSettings kc = c.authenticators().get(1);
    assertEquals("keycloak", kc.name());
    assertEquals(AuthenticatorSettings.Driver.OPENID_CONNECT, kc.driver());
    assertEquals(true, kc.deprecatedAlias());
    assertEquals(Duration.ofSeconds(5), kc.skew());
    assertEquals(Duration.ofMillis(1500), kc.maxValidityTime());
    assertEquals("https://kc", kc.authority());
    assertEquals("sub", kc.uidClaim());
    assertNull(c.authenticators().get(0).maxValidityTime());
    assertEquals(Duration.ofSeconds(2), c.access().rulesWait());
    assertEquals(Duration.ZERO, c.access().jwksMinRefetch());
    assertNull(c.access().tenantConfig());
  }

  @Test
  void yamlMappingBecomesTheSameSections() {
    AuthSettings c = AuthSettings.fromSections(AuthSettings.sectionsOf(
        Map.of("corp", Map.of("driver", "HS256", "secret", "s", "issuer_id", "i")), Map.of("tenant_config", "/x.yaml")));
    assertEquals("corp", c.authenticators().get(0).name());
    assertEquals("/x.yaml", c.access().tenantConfig().toString());
  }

  @Test
  void badSectionsNameTheSectionAndKey() {
    assertEquals("[auth a]: 'secret' is required by driver HS256", assertThrows(IllegalArgumentException.class,
        () -> AuthSettings.fromSections(Map.of("auth a", Map.of("driver", "HS256", "issuer_id", "i")))).getMessage());
    assertEquals("[auth a]: unknown driver 'HS512'", assertThrows(IllegalArgumentException.class,
        () -> AuthSettings.fromSections(Map.of("auth a", Map.of("driver", "HS512")))).getMessage());
    assertEquals("[auth a]: unknown key 'secrte'", assertThrows(IllegalArgumentException.class,
        () -> AuthSettings.fromSections(Map.of("auth a", Map.of("driver", "HS256", "secrte", "s")))).getMessage());
    assertEquals("[auth a]: skew must be an integer (seconds), not 'x'", assertThrows(IllegalArgumentException.class,
        () -> AuthSettings.fromSections(Map.of("auth a", Map.of("driver", "HS256", "secret", "s", "issuer_id", "i",
            "skew", "x")))).getMessage());
    assertEquals("[access]: unknown key 'rule_wait'", assertThrows(IllegalArgumentException.class,
        () -> AuthSettings.fromSections(Map.of("access", Map.of("rule_wait", "1")))).getMessage());
  }

  @Test
  void neverPrintsTheSecret() {
    AuthenticatorSettings c = AuthenticatorSettings.of("a", Map.of("driver", "HS256", "secret", "hunter2", "issuer_id", "i"));
    assertEquals(false, c.toString().contains("hunter2"));
  }
}
