package org.fingerpost.webapp.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Zuul's claim checks, in Zuul's order and with Zuul's error names (through an HS256 authenticator). */
class AuthenticatorTest {
  static final String SECRET = "a-secret-long-enough-for-hs256-32bytes!";
  static final String ISS = "https://issuer.example.com";

  static Authenticator auth(Map<String, String> extra) {
    Map<String, String> c = new HashMap<>(Map.of("driver", "HS256", "secret", SECRET, "issuer_id", ISS,
        "client_id", "zuul", "realm", "example"));
    c.putAll(extra);
    return new HmacAuthenticator(AuthenticatorSettings.of("test", c), Clock.systemUTC());
  }

  static String refusal(Authenticator a, JWTClaimsSet claims) throws Exception {
    AuthError e = assertThrows(AuthError.class,
        () -> a.authenticate(SignedJWT.parse(TestTokens.hs256(SECRET, claims))));
    assertEquals("example", e.realm());
    return e.name();
  }

  static JWTClaimsSet.Builder valid() {
    return TestTokens.claims(ISS, "zuul", "alice", Map.of());
  }

  @Test
  void acceptsAValidTokenAndReportsUidAndRealm() throws Exception {
    AuthenticatedUser u = auth(Map.of("uid_claim", "email")).authenticate(SignedJWT.parse(TestTokens.hs256(SECRET,
        valid().claim("email", "alice@example.com").claim("groups", List.of("ci")).build())));
    assertEquals("alice@example.com", u.uid());
    assertEquals("example", u.realm());
    assertEquals(List.of("ci"), u.claims().get("groups"));
  }

  @Test
  void refusesWithZuulsErrorNames() throws Exception {
    Authenticator a = auth(Map.of());
    Instant now = Instant.now();
    assertEquals("TokenExpiredError", refusal(a, valid().expirationTime(Date.from(now.minusSeconds(1))).build()));
    assertEquals("IssuerUnknownError", refusal(a, valid().issuer("https://other").build()));
    assertEquals("IncorrectAudienceError", refusal(a, valid().audience("not-zuul").build()));
    assertEquals("MissingClaimError", refusal(a, valid().subject(null).build()));
    assertEquals("MissingClaimError", refusal(a, valid().audience((String) null).build()));
    assertEquals("AuthTokenUnauthorizedException",
        refusal(a, valid().issueTime(Date.from(now.plusSeconds(60))).build()));
    assertEquals("IncorrectZuulAdminClaimError", refusal(a, valid().claim("zuul", Map.of("admin", "t1")).build()));
    assertEquals("UnauthorizedZuulAdminClaimError",
        refusal(a, valid().claim("zuul", Map.of("admin", List.of("t1"))).build()));
    assertEquals("MissingUIDClaimError", refusal(auth(Map.of("uid_claim", "email")), valid().build()));
  }

  @Test
  void maxValidityTimeNeedsIatAndBoundsTheTokensAge() throws Exception {
    Authenticator a = auth(Map.of("max_validity_time", "60"));
    assertEquals("MissingClaimError", refusal(a, valid().issueTime(null).build()));
    assertEquals("TokenExpiredError", refusal(a, valid().issueTime(Date.from(Instant.now().minusSeconds(120))).build()));
    a.authenticate(SignedJWT.parse(TestTokens.hs256(SECRET, valid().build())));
  }

  @Test
  void skewIsAddedToIatAsZuulDoes() throws Exception {
    // Zuul refuses iat + skew > now: with skew 30 a token issued 5 s ago is "in the future".
    assertEquals("AuthTokenUnauthorizedException", refusal(auth(Map.of("skew", "30")), valid().build()));
  }

  @Test
  void adminClaimIsAcceptedWithOverride() throws Exception {
    AuthenticatedUser u = auth(Map.of("allow_authz_override", "true")).authenticate(SignedJWT.parse(
        TestTokens.hs256(SECRET, valid().claim("zuul", Map.of("admin", List.of("t1"))).build())));
    assertEquals(Map.of("admin", List.of("t1")), u.claims().get("zuul"));
  }

  @Test
  void jsonNullClaimsAreKept() throws Exception {
    long now = Instant.now().getEpochSecond();
    String json = "{\"iss\":\"" + ISS + "\",\"aud\":\"zuul\",\"sub\":\"alice\",\"iat\":" + (now - 5)
        + ",\"exp\":" + (now + 600) + ",\"nickname\":null}";
    AuthenticatedUser u = auth(Map.of()).authenticate(SignedJWT.parse(TestTokens.hs256Json(SECRET, json)));
    assertEquals(true, u.claims().containsKey("nickname"));
  }
}
