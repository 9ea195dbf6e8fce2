package org.fingerpost.webapp.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Choosing the authenticator by {@code iss}, the default realm and the capabilities, as Zuul's registry. */
class AuthenticatorsTest {
  static Authenticators two(boolean secondDefault) {
    Map<String, Map<String, String>> s = new LinkedHashMap<>();
    s.put("auth one", Map.of("driver", "HS256", "secret", "s1", "issuer_id", "https://one", "client_id", "zuul",
        "realm", "r1"));
    s.put("auth \"two\"", Map.of("driver", "HS256", "secret", "s2", "issuer_id", "https://two", "client_id", "zuul",
        "realm", "r2", "default", String.valueOf(secondDefault)));
    return Authenticators.create(AuthSettings.fromSections(s), HttpClient.newHttpClient(), Clock.systemUTC());
  }

  @Test
  void picksTheAuthenticatorOfTheTokensIssuer() throws Exception {
    Authenticators a = two(false);
    assertEquals("r2", a.authenticate(TestTokens.hs256("s2", TestTokens.claims("https://two", "zuul", "u",
        Map.of()).build())).realm());
    AuthError wrongKey = assertThrows(AuthError.class, () -> a.authenticate(TestTokens.hs256("s1",
        TestTokens.claims("https://two", "zuul", "u", Map.of()).build())));
    assertEquals("AuthTokenInvalidSignatureException", wrongKey.name());
    assertEquals("r2", wrongKey.realm());
  }

  @Test
  void unknownIssuerAndGarbageAreRefusedInTheDefaultRealm() {
    Authenticators a = two(true);
    AuthError unknown = assertThrows(AuthError.class, () -> a.authenticate(TestTokens.hs256("s1",
        TestTokens.claims("https://three", "zuul", "u", Map.of()).build())));
    assertEquals("IssuerUnknownError", unknown.name());
    assertEquals("r2", unknown.realm());
    AuthError garbage = assertThrows(AuthError.class, () -> a.authenticate("not.a.token"));
    assertEquals("AuthTokenUndecodedException", garbage.name());
    assertEquals("Bearer realm=\"r2\" error=\"AuthTokenUndecodedException\" error_description=\"Auth Token could not "
        + "be decoded\"", garbage.wwwAuthenticate());
  }

  @Test
  void firstRealmIsTheDefaultUnlessOneSaysDefault() {
    assertEquals("r1", two(false).defaultRealm());
    Map<String, Object> caps = two(false).capabilities();
    assertEquals("r1", caps.get("default_realm"));
    assertEquals(Map.of("authority", "https://two", "client_id", "zuul", "type", "JWT", "driver", "HS256"),
        ((Map<?, ?>) caps.get("realms")).get("r2"));
  }
}
