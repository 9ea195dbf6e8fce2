package org.fingerpost.webapp.webhooks.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC hex digests and constant-time comparison of secrets. Stateless. */
final class Hmac {
  static final String SHA1 = "HmacSHA1";
  static final String SHA256 = "HmacSHA256";

  private Hmac() {}

  /** Lower-case hex HMAC of {@code body} with the UTF-8 bytes of {@code secret}, as Python's hexdigest(). */
  static String hex(String algorithm, String secret, byte[] body, int length) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
      mac.update(body, 0, length);
      return HexFormat.of().formatHex(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " unavailable", e);
    }
  }

  /** Constant-time (for equal lengths) comparison, as Python's {@code hmac.compare_digest}. */
  static boolean same(String expected, String given) {
    if (given == null) {
      return false;
    }
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.ISO_8859_1),
        given.getBytes(StandardCharsets.ISO_8859_1));
  }
}
