package org.fingerpost.webapp.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.util.Map;

/**
 * Driver {@code OpenIDConnect} (and its deprecated alias {@code RS256withJWKS}): the token's header
 * must name a key ({@code kid}); the key comes from the provider's JWKS ({@link JwksKeys}); the
 * algorithm is the key's {@code alg}, else RS256, as in Zuul. RSA and EC keys are supported.
 * Thread-safe.
 */
final class OidcAuthenticator extends Authenticator {
  static final String DEFAULT_ALGORITHM = "RS256";

  private final JwksKeys keys;

  OidcAuthenticator(AuthenticatorSettings config, Clock clock, JwksKeys keys) {
    super(config, clock);
    this.keys = keys;
  }

  @Override
  public Map<String, Object> capabilities() {
    Map<String, Object> m = super.capabilities();
    m.put("scope", config.get("scope") != null ? config.get("scope") : "openid profile");
    String load = config.get("load_user_info");
    m.put("load_user_info", load == null || java.util.Set.of("true", "yes", "1", "on").contains(load.toLowerCase()));
    return m;
  }

  @Override
  protected boolean mayBlock(SignedJWT jwt) {
    String kid = jwt.getHeader().getKeyID();
    return kid != null && !keys.hasFresh(kid);
  }

  @Override
  protected void verify(SignedJWT jwt) throws AuthError {
    String kid = jwt.getHeader().getKeyID();
    if (kid == null) {
      throw AuthError.jwks("No key ID in token header", realm());
    }
    JWK key = keys.key(kid);
    String alg = key.getAlgorithm() != null ? key.getAlgorithm().getName() : DEFAULT_ALGORITHM;
    requireAlgorithm(jwt, alg);
    try {
      JWSVerifier verifier;
      if (key instanceof RSAKey rsa) {
        verifier = new RSASSAVerifier(rsa);
      } else if (key instanceof ECKey ec) {
        verifier = new ECDSAVerifier(ec);
      } else {
        throw AuthError.jwks("Unsupported key type " + key.getKeyType(), realm());
      }
      if (!jwt.verify(verifier)) {
        throw refuse(AuthError.INVALID_SIGNATURE, "Invalid signature");
      }
    } catch (JOSEException e) {
      throw refuse(AuthError.INVALID_SIGNATURE, "Invalid signature");
    }
  }
}
