package org.fingerpost.testing;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The one throwaway PKI of the tests, made fresh in a temporary directory on every run (nothing secret
 * is committed): certificate authorities and certificates signed by them, written as PEM in the forms
 * {@code zuul.conf} users have (PKCS#8, or openssl's traditional PKCS#1 RSA / SEC1 EC keys), and as
 * in-memory key stores for Jetty or JDK clients ({@link Cert#keyStore}, {@link Cert#trustStore}).
 *
 * <p>Not thread-safe: one test builds its PKI, then shares the files read-only.
 */
public final class TestPki {
  /** How a private key is written. */
  public enum KeyFormat { PKCS8, TRADITIONAL }

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final Path dir;

  public TestPki(Path dir) {
    this.dir = dir;
  }

  /** A certificate authority (or a leaf certificate) and its key. */
  public final class Cert {
    public final String name;
    public final X509Certificate certificate;
    public final PrivateKey key;
    public final Path certFile;
    public final Path keyFile;
    /** The CA that signed this certificate; null for a CA. */
    public final Cert issuer;

    Cert(String name, X509Certificate certificate, PrivateKey key, KeyFormat format, Cert issuer)
        throws IOException {
      this.name = name;
      this.issuer = issuer;
      this.certificate = certificate;
      this.key = key;
      this.certFile = dir.resolve(name + ".crt");
      this.keyFile = dir.resolve(name + ".key");
      writePem(certFile, certificate);
      writePem(keyFile, format == KeyFormat.PKCS8 ? new JcaPKCS8Generator(key, null) : traditional(key));
    }

    /** A leaf certificate signed by this CA, valid now for a day, for {@code dnsNames} (server and client use). */
    public Cert issue(String name, String... dnsNames) throws Exception {
      return issue(name, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)),
          "EC", KeyFormat.PKCS8, dnsNames);
    }

    /** A leaf certificate signed by this CA with the given validity, key algorithm and key format. */
    public Cert issue(String name, Instant notBefore, Instant notAfter, String algorithm, KeyFormat format,
        String... dnsNames) throws Exception {
      KeyPair kp = keyPair(algorithm);
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
          new X500Name("CN=" + this.name), serial(), Date.from(notBefore), Date.from(notAfter),
          new X500Name("CN=" + (dnsNames.length > 0 ? dnsNames[0] : name)), kp.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      if (dnsNames.length > 0) {
        GeneralName[] names = new GeneralName[dnsNames.length];
        for (int i = 0; i < dnsNames.length; i++) {
          names[i] = dnsNames[i].matches("[0-9.]+")
              ? new GeneralName(GeneralName.iPAddress, dnsNames[i])
              : new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      return new Cert(name, sign(b, key), kp.getPrivate(), format, this);
    }

    /** A PKCS#12 key store in memory with this key and its chain (alias {@code name}), for a server. */
    public KeyStore keyStore(char[] password) throws Exception {
      KeyStore ks = emptyStore();
      Certificate[] chain = issuer == null ? new Certificate[] {certificate}
          : new Certificate[] {certificate, issuer.certificate};
      ks.setKeyEntry(name, key, password, chain);
      return ks;
    }

    /** A PKCS#12 trust store in memory holding this certificate only (a CA to trust). */
    public KeyStore trustStore() throws Exception {
      KeyStore ks = emptyStore();
      ks.setCertificateEntry(name, certificate);
      return ks;
    }
  }

  private static KeyStore emptyStore() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    return ks;
  }

  /** A new self-signed certificate authority named {@code name}, valid for a day. */
  public Cert ca(String name) throws Exception {
    KeyPair kp = keyPair("EC");
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
        Date.from(Instant.now().minus(Duration.ofHours(1))), Date.from(Instant.now().plus(Duration.ofDays(1))),
        subject, kp.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new Cert(name, sign(b, kp.getPrivate()), kp.getPrivate(), KeyFormat.PKCS8, null);
  }

  /** Writes the certificates of {@code cas} into one bundle file, with comment text between them. */
  public Path bundle(String name, Cert... cas) throws IOException {
    Path file = dir.resolve(name + ".pem");
    try (Writer w = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(w)) {
      for (Cert c : cas) {
        pem.flush();
        w.write("# " + c.name + "\n");
        pem.writeObject(c.certificate);
      }
    }
    return file;
  }

  private static KeyPair keyPair(String algorithm) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
    if (algorithm.equals("EC")) {
      g.initialize(new ECGenParameterSpec("secp256r1"));
    } else {
      g.initialize(2048);
    }
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws Exception {
    String alg = signer.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    ContentSigner s = new JcaContentSignerBuilder(alg).build(signer);
    return new JcaX509CertificateConverter().getCertificate(b.build(s));
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIAL.incrementAndGet());
  }

  /** PKCS#1 for RSA; for EC the SEC1 form openssl writes, with the named curve inside. */
  private static Object traditional(PrivateKey key) throws IOException {
    if (!key.getAlgorithm().equals("EC")) {
      return key;
    }
    org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
    org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
    org.bouncycastle.asn1.sec.ECPrivateKey withCurve = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(),
        inner.getPublicKey(), info.getPrivateKeyAlgorithm().getParameters());
    return new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", withCurve.getEncoded());
  }

  private static void writePem(Path file, Object o) throws IOException {
    try (JcaPEMWriter w = new JcaPEMWriter(Files.newBufferedWriter(file))) {
      w.writeObject(o);
    }
  }
}
