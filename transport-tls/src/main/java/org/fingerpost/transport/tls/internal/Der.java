package org.fingerpost.transport.tls.internal;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Just enough DER to turn the key formats {@code openssl} writes by default (PKCS#1 {@code RSA
 * PRIVATE KEY}, SEC1 {@code EC PRIVATE KEY}) into PKCS#8, which the JDK's {@code KeyFactory} reads.
 * Stateless; throws {@link IllegalArgumentException} on malformed input.
 */
public final class Der {
  private static final int SEQUENCE = 0x30;
  private static final int INTEGER = 0x02;
  private static final int OCTET_STRING = 0x04;
  private static final int CONTEXT_0 = 0xA0;
  /** rsaEncryption 1.2.840.113549.1.1.1 followed by NULL parameters. */
  private static final byte[] RSA_ALGORITHM = {
      0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
  /** id-ecPublicKey 1.2.840.10045.2.1. */
  private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

  private Der() {}

  /** PKCS#8 PrivateKeyInfo around a PKCS#1 RSAPrivateKey. */
  public static byte[] pkcs8FromPkcs1(byte[] pkcs1) {
    return pkcs8(RSA_ALGORITHM, pkcs1);
  }

  /** PKCS#8 PrivateKeyInfo around a SEC1 ECPrivateKey; the curve comes from its parameters field. */
  public static byte[] pkcs8FromSec1(byte[] sec1) {
    byte[] curveOid = null;
    for (byte[][] child : children(sec1)) {
      if ((child[0][0] & 0xff) == CONTEXT_0) {
        curveOid = child[2];
      }
    }
    if (curveOid == null || curveOid[0] != 0x06) {
      throw new IllegalArgumentException("EC key without a named curve (SEC1 parameters missing)");
    }
    byte[] algorithm = tlv(SEQUENCE, concat(EC_PUBLIC_KEY_OID, curveOid));
    return pkcs8(algorithm, sec1);
  }

  private static byte[] pkcs8(byte[] algorithm, byte[] key) {
    return tlv(SEQUENCE, concat(new byte[] {INTEGER, 0x01, 0x00}, algorithm, tlv(OCTET_STRING, key)));
  }

  /** The children of the top-level SEQUENCE, each as {{tag}, unused, content}. */
  private static List<byte[][]> children(byte[] der) {
    int[] top = header(der, 0);
    if ((der[0] & 0xff) != SEQUENCE) {
      throw new IllegalArgumentException("not a DER SEQUENCE");
    }
    List<byte[][]> out = new ArrayList<>();
    int pos = top[0];
    int end = top[0] + top[1];
    while (pos < end) {
      int[] h = header(der, pos);
      byte[] content = Arrays.copyOfRange(der, h[0], h[0] + h[1]);
      out.add(new byte[][] {{der[pos]}, null, content});
      pos = h[0] + h[1];
    }
    return out;
  }

  /** {offset of content, content length} of the TLV at {@code pos}. */
  private static int[] header(byte[] der, int pos) {
    if (pos + 2 > der.length) {
      throw new IllegalArgumentException("truncated DER");
    }
    int len = der[pos + 1] & 0xff;
    int off = pos + 2;
    if (len > 0x80) {
      int n = len - 0x80;
      if (n > 3 || off + n > der.length) {
        throw new IllegalArgumentException("bad DER length");
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (der[off + i] & 0xff);
      }
      off += n;
    } else if (len == 0x80) {
      throw new IllegalArgumentException("indefinite DER length");
    }
    if (off + len > der.length) {
      throw new IllegalArgumentException("truncated DER");
    }
    return new int[] {off, len};
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int len = content.length;
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else if (len < 0x10000) {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len);
    } else {
      out.write(0x83);
      out.write(len >> 16);
      out.write(len >> 8);
      out.write(len);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
