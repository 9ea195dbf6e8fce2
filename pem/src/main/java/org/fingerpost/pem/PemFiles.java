package org.fingerpost.pem;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * The one reader of the PEM files {@code zuul.conf}'s {@code tls_cert}, {@code tls_key} and {@code
 * tls_ca} point at, for finger TLS ({@code transport-tls}) and ZooKeeper TLS ({@code registry}) alike:
 * a certificate (chain), a private key and a CA bundle (any number of {@code CERTIFICATE} blocks; text
 * between blocks is ignored).
 *
 * <p>Keys are read with BouncyCastle's {@link PEMParser} and {@link JcaPEMKeyConverter}: PKCS#8
 * {@code PRIVATE KEY}, and the traditional {@code RSA PRIVATE KEY} (PKCS#1) and {@code EC PRIVATE KEY}
 * (SEC1) that {@code openssl} writes; RSA, EC, Ed25519 and Ed448. BouncyCastle rather than ZooKeeper's
 * own {@code PemReader}: that one reads PKCS#8 only, so finger TLS and ZooKeeper TLS would again accept
 * different files. Encrypted keys are refused: decrypt them with {@code openssl pkcs8 -nocrypt}, as for
 * Zuul. Only BouncyCastle's parsing is used; keys and certificates are the JDK's (no provider is
 * registered).
 *
 * <p>Stateless and thread-safe. Errors are {@link IOException}s whose message names the file and what
 * is wrong with it.
 */
public final class PemFiles {
  /** Password of the in-memory key stores built here; they never touch a disk. */
  public static final String IN_MEMORY_PASSWORD = "fingerpost";
  /** Alias of the one key entry in {@link #keyStore}. */
  public static final String KEY_ALIAS = "fingerpost";

  private static final String ENCRYPTED_HINT = "decrypt it with: openssl pkcs8 -topk8 -nocrypt";
  private static final JcaPEMKeyConverter KEYS = new JcaPEMKeyConverter();

  private PemFiles() {}

  /** The {@code CERTIFICATE} blocks of {@code file}, in order; at least one. */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (PemObject b : blocks(file, read(file))) {
        if (b.getType().equals("CERTIFICATE") || b.getType().equals("TRUSTED CERTIFICATE")) {
          out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.getContent())));
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

  /** The one private key of {@code file}: the first PKCS#8, PKCS#1 RSA or SEC1 EC block. */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    String text = read(file);
    // First the blocks as they are written, so that an encrypted key is named as such even when
    // BouncyCastle could not parse it.
    for (PemObject b : blocks(file, text)) {
      if (b.getType().startsWith("ENCRYPTED") || isEncrypted(b)) {
        throw new IOException("Encrypted private key in " + file + " is not supported; " + ENCRYPTED_HINT);
      }
    }
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof PEMKeyPair pair) { // RSA PRIVATE KEY (PKCS#1), EC PRIVATE KEY (SEC1)
          return KEYS.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) { // PRIVATE KEY (PKCS#8)
          return KEYS.getPrivateKey(info);
        }
        // EC PARAMETERS (openssl ecparam -genkey), a certificate and the like: not the key.
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException("Unsupported or malformed private key in " + file + " (RSA, EC, Ed25519 or Ed448 "
          + "expected): " + e.getMessage(), e);
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
      KeyStore ks = emptyStore();
      ks.setKeyEntry(KEY_ALIAS, key, IN_MEMORY_PASSWORD.toCharArray(), chain.toArray(new X509Certificate[0]));
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new IOException("Cannot use key " + keyFile + " with certificate " + certFile + ": " + e.getMessage(), e);
    }
  }

  /** An in-memory trust store with every certificate of the CA bundle {@code caFile}. */
  public static KeyStore trustStore(Path caFile) throws IOException {
    List<X509Certificate> cas = readCertificates(caFile);
    try {
      KeyStore ks = emptyStore();
      for (int i = 0; i < cas.size(); i++) {
        ks.setCertificateEntry("ca-" + i, cas.get(i));
      }
      return ks;
    } catch (GeneralSecurityException | IOException e) {
      throw new IOException("Cannot use CA bundle " + caFile + ": " + e.getMessage(), e);
    }
  }

  private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    return ks;
  }

  private static boolean isEncrypted(PemObject block) {
    for (Object h : block.getHeaders()) {
      if (h instanceof PemHeader header && header.getName().equals("Proc-Type")
          && header.getValue().contains("ENCRYPTED")) {
        return true;
      }
    }
    return false;
  }

  private static String read(Path file) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IOException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The PEM blocks of {@code text} (the content of {@code file}), undecoded beyond base64. */
  private static List<PemObject> blocks(Path file, String text) throws IOException {
    List<PemObject> out = new ArrayList<>();
    try (Reader r = new StringReader(text); PemReader pem = new PemReader(r)) {
      for (PemObject o = pem.readPemObject(); o != null; o = pem.readPemObject()) {
        out.add(o);
      }
    } catch (IOException | RuntimeException e) {
      throw new IOException("Malformed PEM in " + file + ": " + e.getMessage(), e);
    }
    return out;
  }
}
