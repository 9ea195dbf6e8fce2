package org.fingerpost.webapp.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Tokens minted for tests: HS256 with any secret length (as Zuul's users have them) and RS256. */
public final class TestTokens {
  private TestTokens() {}

  /** Claims valid now for an hour: {@code iss}, {@code aud}, {@code sub}, {@code iat}, {@code exp}, plus {@code extra}. */
  public static JWTClaimsSet.Builder claims(String issuer, String audience, String subject, Map<String, Object> extra) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(subject)
        .issueTime(Date.from(now.minusSeconds(5))).expirationTime(Date.from(now.plus(Duration.ofHours(1))));
    extra.forEach(b::claim);
    return b;
  }

  /** HS256 with {@code secret} of any length (computed here: Nimbus's signer refuses short secrets). */
  public static String hs256(String secret, JWTClaimsSet claims) {
    return hmac("HS256", secret, claims);
  }

  /** HS256 over a raw JSON payload (for claims Nimbus would drop, such as JSON nulls). */
  public static String hs256Json(String secret, String json) {
    return hmac("HS256", secret, json);
  }

  static String hmac(String alg, String secret, JWTClaimsSet claims) {
    return hmac(alg, secret, claims.toString());
  }

  static String hmac(String alg, String secret, String json) {
    String header = Base64URL.encode("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}").toString();
    String payload = Base64URL.encode(json).toString();
    String input = header + "." + payload;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return input + "." + Base64URL.encode(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** RS256 signed with {@code key}, header {@code kid} when not null. */
  public static String rs256(RSAPrivateKey key, String kid, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A fresh 2048-bit RSA key pair. */
  public static KeyPair rsa() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key as an SPKI PEM file ({@code BEGIN PUBLIC KEY}), as Zuul's {@code public_key} takes it. */
  public static Path publicKeyPem(KeyPair pair, Path file) throws Exception {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(pair.getPublic().getEncoded());
    Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n");
    return file;
  }

  /** A public JWK of {@code pair} with key id {@code kid} and {@code alg} RS256. */
  public static RSAKey jwk(KeyPair pair, String kid) {
    return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).keyID(kid).algorithm(JWSAlgorithm.RS256).build();
  }

  public static String kid() {
    return UUID.randomUUID().toString();
  }

  static List<String> list(String... s) {
    return List.of(s);
  }
}
