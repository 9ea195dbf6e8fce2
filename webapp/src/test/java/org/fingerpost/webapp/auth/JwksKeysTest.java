package org.fingerpost.webapp.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Key rotation: an unknown kid refetches, at most once per jwks_min_refetch; old sets are refreshed. */
class JwksKeysTest {
  private TestIssuer idp;
  /** The keys' clock, moved by the test instead of waiting. */
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @BeforeEach
  void start() throws Exception {
    idp = new TestIssuer();
  }

  @AfterEach
  void stop() throws Exception {
    idp.close();
  }

  JwksKeys keys() {
    AuthenticatorSettings c = AuthenticatorSettings.of("sso", Map.of("driver", "OpenIDConnect", "issuer_id", idp.issuer(),
        "realm", "sso"));
    AccessSettings s = AccessSettings.of(Map.of("jwks_min_refetch", "30", "jwks_max_age", "3600"));
    return new JwksKeys(c, idp.client(), s, nanos::get);
  }

  @Test
  void rotationIsFollowedAndUnknownKeyIdsAreRateLimited() throws Exception {
    KeyPair a = TestTokens.rsa();
    idp.keys(TestTokens.jwk(a, "a"));
    JwksKeys keys = keys();
    assertEquals("a", keys.key("a").getKeyID());
    assertEquals(1, idp.jwksFetches());
    // The provider rotates to key b after the rate limit window: an unknown kid fetches again.
    nanos.addAndGet(31_000_000_000L);
    idp.keys(TestTokens.jwk(TestTokens.rsa(), "b"));
    assertEquals("b", keys.key("b").getKeyID());
    assertEquals(2, idp.jwksFetches());
    // Made-up key ids right after: refused without asking the provider again.
    assertEquals("JWKSException", assertThrows(AuthError.class, () -> keys.key("made-up")).name());
    assertEquals("JWKSException", assertThrows(AuthError.class, () -> keys.key("made-up-2")).name());
    assertEquals(2, idp.jwksFetches());
    // Key a is gone from the provider: once the window passed, asking for it fetches and fails.
    nanos.addAndGet(31_000_000_000L);
    assertEquals("JWKSException", assertThrows(AuthError.class, () -> keys.key("a")).name());
    assertEquals(3, idp.jwksFetches());
  }

  @Test
  void anOldSetIsFetchedAgainOnUse() throws Exception {
    idp.keys(TestTokens.jwk(TestTokens.rsa(), "a"));
    JwksKeys keys = keys();
    keys.key("a");
    nanos.addAndGet(3601_000_000_000L);
    keys.key("a");
    assertEquals(2, idp.jwksFetches());
  }
}
