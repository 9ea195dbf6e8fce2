package org.fingerpost.webapp.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;

/**
 * Driver {@code RS256}: the identity provider's public key from the PEM file {@code public_key}
 * ({@code BEGIN PUBLIC KEY}, or PKCS#1 {@code BEGIN RSA PUBLIC KEY}), read once at start.
 * Thread-safe (immutable key, a verifier per call).
 */
final class RsaAuthenticator extends Authenticator {
  static final String ALGORITHM = "RS256";
  /** DER header of an SPKI wrapping a PKCS#1 RSA key: AlgorithmIdentifier rsaEncryption + NULL. */
  private static final byte[] RSA_ALGORITHM_ID = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
      (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

  private final RSAPublicKey key;

  RsaAuthenticator(AuthenticatorSettings config, Clock clock) {
    super(config, clock);
    Path file = Path.of(config.get("public_key"));
    try {
      this.key = readPublicKey(Files.readString(file));
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("[auth " + config.name() + "]: public_key " + file
          + " is not a readable PEM RSA public key: " + e.getMessage(), e);
    }
  }

  static RSAPublicKey readPublicKey(String pem) throws GeneralSecurityException {
    boolean pkcs1 = pem.contains("BEGIN RSA PUBLIC KEY");
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(body);
    if (pkcs1) {
      der = spki(der);
    }
    return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
  }

  /** SEQUENCE { AlgorithmIdentifier, BIT STRING { pkcs1 } }. */
  private static byte[] spki(byte[] pkcs1) {
    byte[] bits = concat(new byte[] {0x03}, length(pkcs1.length + 1), new byte[] {0x00}, pkcs1);
    byte[] body = concat(RSA_ALGORITHM_ID, bits);
    return concat(new byte[] {0x30}, length(body.length), body);
  }

  private static byte[] length(int n) {
    if (n < 0x80) {
      return new byte[] {(byte) n};
    }
    if (n < 0x100) {
      return new byte[] {(byte) 0x81, (byte) n};
    }
    return new byte[] {(byte) 0x82, (byte) (n >> 8), (byte) n};
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Override
  protected void verify(SignedJWT jwt) throws AuthError {
    requireAlgorithm(jwt, ALGORITHM);
    try {
      if (!jwt.verify(new RSASSAVerifier(key))) {
        throw refuse(AuthError.INVALID_SIGNATURE, "Invalid signature");
      }
    } catch (JOSEException e) {
      throw refuse(AuthError.INVALID_SIGNATURE, "Invalid signature");
    }
  }
}
