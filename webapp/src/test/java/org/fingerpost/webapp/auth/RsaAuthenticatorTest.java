package org.fingerpost.webapp.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RS256 with a PEM public key file (SPKI or PKCS#1), as zuul.conf's {@code public_key}. */
class RsaAuthenticatorTest {
  static final String ISS = "https://rs.example.com";
  @TempDir
  Path dir;

  RsaAuthenticator auth(Path pem) {
    return new RsaAuthenticator(AuthenticatorSettings.of("rs", Map.of("driver", "RS256", "public_key", pem.toString(),
        "issuer_id", ISS, "client_id", "zuul", "realm", "rs")), Clock.systemUTC());
  }

  @Test
  void verifiesWithAnSpkiPemAndRefusesAnotherKey() throws Exception {
    KeyPair pair = TestTokens.rsa();
    RsaAuthenticator a = auth(TestTokens.publicKeyPem(pair, dir.resolve("pub.pem")));
    String good = TestTokens.rs256((RSAPrivateKey) pair.getPrivate(), null,
        TestTokens.claims(ISS, "zuul", "carol", Map.of()).build());
    assertEquals("carol", a.authenticate(SignedJWT.parse(good)).uid());
    String bad = TestTokens.rs256((RSAPrivateKey) TestTokens.rsa().getPrivate(), null,
        TestTokens.claims(ISS, "zuul", "carol", Map.of()).build());
    assertEquals("AuthTokenInvalidSignatureException",
        assertThrows(AuthError.class, () -> a.authenticate(SignedJWT.parse(bad))).name());
  }

  @Test
  void readsPkcs1Pem() throws Exception {
    KeyPair pair = TestTokens.rsa();
    byte[] spki = pair.getPublic().getEncoded();
    // The PKCS#1 key is the BIT STRING content of the SPKI: skip its 24-byte header (2048-bit keys).
    byte[] pkcs1 = java.util.Arrays.copyOfRange(spki, 24, spki.length);
    Path pem = dir.resolve("rsa.pem");
    Files.writeString(pem, "-----BEGIN RSA PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs1)
        + "\n-----END RSA PUBLIC KEY-----\n");
    assertEquals(pair.getPublic(), RsaAuthenticator.readPublicKey(Files.readString(pem)));
  }

  @Test
  void anUnreadableKeyFileStopsTheStartNamingTheSection() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> auth(dir.resolve("missing.pem")));
    assertEquals(true, e.getMessage().startsWith("[auth rs]: public_key"));
  }
}
