package org.fingerpost.webapp.auth;

import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Driver {@code HS256}: a shared {@code secret}. The HMAC is checked here with the JDK rather than with
 * Nimbus's {@code MACVerifier}, which refuses secrets shorter than 256 bits (RFC 7518 3.2): zuul.conf
 * files often have shorter ones and Zuul (PyJWT) accepts them, so Fingerpost does too, with a warning
 * at start. The comparison is constant-time. Thread-safe (a {@link Mac} per call).
 */
final class HmacAuthenticator extends Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(HmacAuthenticator.class);
  /** RFC 7518's minimum HS256 key size, in bytes. */
  static final int RECOMMENDED_SECRET_BYTES = 32;
  static final String ALGORITHM = "HS256";

  private final SecretKeySpec key;

  HmacAuthenticator(AuthenticatorSettings config, Clock clock) {
    super(config, clock);
    byte[] secret = config.get("secret").getBytes(StandardCharsets.UTF_8);
    if (secret.length < RECOMMENDED_SECRET_BYTES) {
      LOG.warn("[auth {}]: the HS256 secret is {} bits, shorter than the 256 bits RFC 7518 requires; accepted "
          + "for compatibility with Zuul, but use a longer one", config.name(), secret.length * 8);
    }
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  @Override
  protected void verify(SignedJWT jwt) throws AuthError {
    requireAlgorithm(jwt, ALGORITHM);
    byte[] expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      expected = mac.doFinal(jwt.getSigningInput());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
    if (!MessageDigest.isEqual(expected, jwt.getSignature().decode())) {
      throw refuse(AuthError.INVALID_SIGNATURE, "Invalid signature");
    }
  }
}
