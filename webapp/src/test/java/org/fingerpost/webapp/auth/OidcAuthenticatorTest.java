package org.fingerpost.webapp.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OpenID Connect against an HTTPS identity provider on loopback: discovery, JWKS, key ids. */
class OidcAuthenticatorTest {
  private TestIssuer idp;

  @BeforeEach
  void start() throws Exception {
    idp = new TestIssuer();
  }

  @AfterEach
  void stop() throws Exception {
    idp.close();
  }

  Authenticators auth(String driver, Map<String, String> extra) {
    Map<String, String> c = new LinkedHashMap<>(Map.of("driver", driver, "issuer_id", idp.issuer(),
        "client_id", "zuul", "realm", "sso"));
    c.putAll(extra);
    return Authenticators.create(AuthSettings.fromSections(Map.of("auth sso", c)), idp.client(), Clock.systemUTC());
  }

  @Test
  void discoversTheKeysOverHttpsAndVerifies() throws Exception {
    KeyPair pair = TestTokens.rsa();
    String kid = TestTokens.kid();
    idp.keys(TestTokens.jwk(pair, kid));
    Authenticators a = auth("OpenIDConnect", Map.of());
    String token = TestTokens.rs256((RSAPrivateKey) pair.getPrivate(), kid,
        TestTokens.claims(idp.issuer(), "zuul", "dave", Map.of()).build());
    assertNull(a.authenticate(token, false), "the key is not cached: checking would block");
    assertEquals(0, idp.jwksFetches());
    assertEquals("dave", a.authenticate(token).uid());
    assertEquals("dave", a.authenticate(token, false).uid(), "cached: checked at once");
    assertEquals(1, idp.jwksFetches(), "keys are cached");
    assertEquals("openid profile", ((Map<?, ?>) ((Map<?, ?>) a.capabilities().get("realms")).get("sso")).get("scope"));
  }

  @Test
  void theDeprecatedAliasAndAnExplicitKeysUrlWork() throws Exception {
    KeyPair pair = TestTokens.rsa();
    idp.keys(TestTokens.jwk(pair, "k1"));
    Authenticators a = auth("RS256withJWKS", Map.of("keys_url", idp.issuer() + "/jwks"));
    assertEquals("erin", a.authenticate(TestTokens.rs256((RSAPrivateKey) pair.getPrivate(), "k1",
        TestTokens.claims(idp.issuer(), "zuul", "erin", Map.of()).build())).uid());
  }

  @Test
  void aTokenWithoutKeyIdIsAJwksError() {
    KeyPair pair = TestTokens.rsa();
    idp.keys(TestTokens.jwk(pair, "k1"));
    AuthError e = assertThrows(AuthError.class, () -> auth("OpenIDConnect", Map.of()).authenticate(
        TestTokens.rs256((RSAPrivateKey) pair.getPrivate(), null,
            TestTokens.claims(idp.issuer(), "zuul", "x", Map.of()).build())));
    assertEquals("JWKSException", e.name());
    assertEquals(400, e.status());
  }

  @Test
  void anUntrustedProviderCertificateIsAJwksError() {
    idp.keys(TestTokens.jwk(TestTokens.rsa(), "k1"));
    Authenticators untrusting = Authenticators.create(AuthSettings.fromSections(Map.of("auth sso", Map.of(
        "driver", "OpenIDConnect", "issuer_id", idp.issuer(), "client_id", "zuul", "realm", "sso"))),
        java.net.http.HttpClient.newHttpClient(), Clock.systemUTC());
    KeyPair pair = TestTokens.rsa();
    AuthError e = assertThrows(AuthError.class, () -> untrusting.authenticate(TestTokens.rs256(
        (RSAPrivateKey) pair.getPrivate(), "k1", TestTokens.claims(idp.issuer(), "zuul", "x", Map.of()).build())));
    assertEquals("JWKSException", e.name());
  }
}
