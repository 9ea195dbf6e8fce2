package org.fingerpost.webapp.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HS256: any secret length (Zuul accepts short ones), constant-time signature check, alg pinned. */
class HmacAuthenticatorTest {
  static final String ISS = "https://hs.example.com";

  static HmacAuthenticator auth(String secret) {
    return new HmacAuthenticator(AuthenticatorSettings.of("hs", Map.of("driver", "HS256", "secret", secret,
        "issuer_id", ISS, "client_id", "zuul", "realm", "hs")), Clock.systemUTC());
  }

  @Test
  void acceptsAShortSecretAsZuulDoes() throws Exception {
    // 6 bytes: Nimbus's MACVerifier would refuse it (RFC 7518 wants 32); Zuul's PyJWT accepts it.
    String token = TestTokens.hs256("secret", TestTokens.claims(ISS, "zuul", "bob", Map.of()).build());
    assertEquals("bob", auth("secret").authenticate(SignedJWT.parse(token)).uid());
  }

  @Test
  void refusesAnotherSecretOrAnotherAlgorithm() throws Exception {
    String token = TestTokens.hs256("other", TestTokens.claims(ISS, "zuul", "bob", Map.of()).build());
    AuthError e = assertThrows(AuthError.class, () -> auth("secret").authenticate(SignedJWT.parse(token)));
    assertEquals("AuthTokenInvalidSignatureException", e.name());
    assertEquals(401, e.status());
    String hs512 = TestTokens.hmac("HS512", "secret", TestTokens.claims(ISS, "zuul", "bob", Map.of()).build());
    assertEquals("AuthTokenUnauthorizedException",
        assertThrows(AuthError.class, () -> auth("secret").authenticate(SignedJWT.parse(hs512))).name());
  }
}
