package org.fingerpost.transport.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fingerpost.transport.tls.internal.Der;

/**
 * Reads the PEM files {@code zuul.conf}'s {@code tls_cert}, {@code tls_key} and {@code tls_ca} point
 * at: a certificate (chain), a private key (PKCS#8 {@code PRIVATE KEY}, or the traditional {@code RSA
 * PRIVATE KEY} / {@code EC PRIVATE KEY} that {@code openssl} writes) and a CA bundle (any number of
 * {@code CERTIFICATE} blocks; text between blocks is ignored). Encrypted keys are refused: decrypt
 * them with {@code openssl pkcs8 -nocrypt}, as for Zuul.
 *
 * <p>Stateless and thread-safe. Errors are {@link IOException}s whose message names the file and what
 * is wrong with it.
 */
public final class PemFiles {
  /** Password of the in-memory key stores built here; they never touch a disk. */
  static final char[] IN_MEMORY_PASSWORD = "fingerpost".toCharArray();
  /** Alias of the one key entry in {@link #keyStore}. */
  public static final String KEY_ALIAS = "fingerpost";

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
  private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448"};

  private PemFiles() {}

  /** The {@code CERTIFICATE} blocks of {@code file}, in order; at least one. */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(file)) {
        if (b.type.equals("CERTIFICATE") || b.type.equals("TRUSTED CERTIFICATE")) {
          out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der)));
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("Invalid certificate in " + file + ": " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new IOException("No PEM CERTIFICATE block in " + file);
    }
    return out;
  }

  /** The one private key of {@code file}. */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    for (Block b : blocks(file)) {
      switch (b.type) {
        case "PRIVATE KEY":
          return pkcs8(file, b.der);
        case "RSA PRIVATE KEY":
          return pkcs8(file, reencode(file, b.der, false));
        case "EC PRIVATE KEY":
          return pkcs8(file, reencode(file, b.der, true));
        case "ENCRYPTED PRIVATE KEY":
          throw new IOException("Encrypted private key in " + file
              + " is not supported; decrypt it with: openssl pkcs8 -topk8 -nocrypt");
        default:
          // EC PARAMETERS (openssl ecparam -genkey) and the like: not the key.
      }
    }
    throw new IOException("No PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) in " + file);
  }

  /** An in-memory key store with the key of {@code keyFile} and the chain of {@code certFile}. */
  public static KeyStore keyStore(Path certFile, Path keyFile) throws IOException {
    List<X509Certificate> chain = readCertificates(certFile);
    PrivateKey key = readPrivateKey(keyFile);
    if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
      throw new IOException("Key " + keyFile + " (" + key.getAlgorithm() + ") does not belong to certificate "
          + certFile + " (" + chain.get(0).getPublicKey().getAlgorithm() + ")");
    }
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry(KEY_ALIAS, key, IN_MEMORY_PASSWORD, chain.toArray(new X509Certificate[0]));
      return ks;
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot use key " + keyFile + " with certificate " + certFile + ": " + e.getMessage(), e);
    }
  }

  /** An in-memory trust store with every certificate of the CA bundle {@code caFile}. */
  public static KeyStore trustStore(Path caFile) throws IOException {
    List<X509Certificate> cas = readCertificates(caFile);
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        ks.setCertificateEntry("ca-" + i, cas.get(i));
      }
      return ks;
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot use CA bundle " + caFile + ": " + e.getMessage(), e);
    }
  }

  private static byte[] reencode(Path file, byte[] der, boolean ec) throws IOException {
    try {
      return ec ? Der.pkcs8FromSec1(der) : Der.pkcs8FromPkcs1(der);
    } catch (IllegalArgumentException e) {
      throw new IOException("Malformed private key in " + file + ": " + e.getMessage(), e);
    }
  }

  private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException | RuntimeException e) {
        // try the next algorithm
      }
    }
    throw new IOException("Unsupported or malformed private key in " + file + " (RSA, EC, Ed25519 or Ed448 expected)");
  }

  private static List<Block> blocks(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IOException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String body = m.group(2).replaceAll("\\s+", "");
      if (body.contains(":")) {
        throw new IOException("PEM block " + m.group(1) + " in " + file + " has headers (an encrypted key?)");
      }
      try {
        out.add(new Block(m.group(1), Base64.getDecoder().decode(body)));
      } catch (IllegalArgumentException e) {
        throw new IOException("Invalid base64 in PEM block " + m.group(1) + " of " + file, e);
      }
    }
    return out;
  }

  private record Block(String type, byte[] der) {}
}
