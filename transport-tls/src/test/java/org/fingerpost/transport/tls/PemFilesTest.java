package org.fingerpost.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import org.fingerpost.pem.PemFiles;
import org.fingerpost.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PEM reader of module {@code pem}, with the certificates of {@link TestPki}. */
class PemFilesTest {
  @TempDir Path dir;

  @Test
  void readsEveryKeyFormatOpensslWrites() throws Exception {
    TestPki pki = new TestPki(dir);
    TestPki.Cert ca = pki.ca("ca");
    Instant from = Instant.now().minus(Duration.ofHours(1));
    Instant to = Instant.now().plus(Duration.ofDays(1));
    for (String alg : new String[] {"EC", "RSA"}) {
      for (TestPki.KeyFormat format : TestPki.KeyFormat.values()) {
        TestPki.Cert c = ca.issue(alg + "-" + format, from, to, alg, format, "localhost");
        String pem = Files.readString(c.keyFile);
        String expectedHeader = format == TestPki.KeyFormat.PKCS8 ? "BEGIN PRIVATE KEY" : "BEGIN " + alg + " PRIVATE KEY";
        assertTrue(pem.contains(expectedHeader), pem);
        KeyStore ks = PemFiles.keyStore(c.certFile, c.keyFile);
        java.security.PrivateKey key = (java.security.PrivateKey) ks.getKey(PemFiles.KEY_ALIAS, PemFiles.IN_MEMORY_PASSWORD.toCharArray());
        // The key read back signs what the certificate's public key verifies.
        String sigAlg = alg.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        Signature s = Signature.getInstance(sigAlg);
        s.initSign(key);
        s.update(new byte[] {1, 2, 3});
        byte[] sig = s.sign();
        Signature v = Signature.getInstance(sigAlg);
        v.initVerify(c.certificate.getPublicKey());
        v.update(new byte[] {1, 2, 3});
        assertTrue(v.verify(sig), alg + " " + format);
      }
    }
  }

  @Test
  void caBundleWithSeveralCertificatesAndCommentText() throws Exception {
    TestPki pki = new TestPki(dir);
    Path bundle = pki.bundle("bundle", pki.ca("one"), pki.ca("two"), pki.ca("three"));
    KeyStore ts = PemFiles.trustStore(bundle);
    assertEquals(3, Collections.list(ts.aliases()).size());
  }

  @Test
  void clearErrorsForBadFiles() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
    IOException e = assertThrows(IOException.class, () -> PemFiles.readCertificates(empty));
    assertTrue(e.getMessage().contains("No PEM CERTIFICATE block in " + empty), e.getMessage());

    Path encrypted = Files.writeString(dir.resolve("enc.key"),
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n");
    e = assertThrows(IOException.class, () -> PemFiles.readPrivateKey(encrypted));
    assertTrue(e.getMessage().contains("Encrypted private key in " + encrypted), e.getMessage());

    Path missing = dir.resolve("missing.pem");
    e = assertThrows(IOException.class, () -> PemFiles.readCertificates(missing));
    assertTrue(e.getMessage().contains("Cannot read " + missing), e.getMessage());

    TestPki pki = new TestPki(dir);
    TestPki.Cert ca = pki.ca("ca");
    TestPki.Cert rsa = ca.issue("rsa", Instant.now(), Instant.now().plus(Duration.ofDays(1)), "RSA",
        TestPki.KeyFormat.PKCS8, "x");
    TestPki.Cert ec = ca.issue("ec", "x");
    e = assertThrows(IOException.class, () -> PemFiles.keyStore(ec.certFile, rsa.keyFile));
    assertTrue(e.getMessage().contains("does not belong to certificate"), e.getMessage());
  }

  @Test
  void legacyEncryptedKeysAndKeylessFilesAreNamedAsSuch() throws Exception {
    // openssl's traditional encryption (openssl rsa -aes256): a PKCS#1 block with a Proc-Type header.
    Path legacy = Files.writeString(dir.resolve("legacy.key"), "-----BEGIN RSA PRIVATE KEY-----\n"
        + "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\nMIIB\n"
        + "-----END RSA PRIVATE KEY-----\n");
    IOException e = assertThrows(IOException.class, () -> PemFiles.readPrivateKey(legacy));
    assertTrue(e.getMessage().contains("Encrypted private key in " + legacy), e.getMessage());

    TestPki.Cert ca = new TestPki(dir).ca("ca");
    e = assertThrows(IOException.class, () -> PemFiles.readPrivateKey(ca.certFile));
    assertTrue(e.getMessage().contains("No PEM private key"), e.getMessage());
  }
}
