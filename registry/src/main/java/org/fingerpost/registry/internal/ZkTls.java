package org.fingerpost.registry.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;
import org.fingerpost.registry.RegistryConfig;

/**
 * The ZooKeeper client's TLS settings from Zuul's three PEM files ({@code tls_cert}, {@code tls_key},
 * {@code tls_ca}): a secure Netty connection presenting the certificate and trusting the CA, the
 * server's hostname checked (ZooKeeper's default). The key (PKCS#8 PEM, RSA or EC) and certificate
 * chain are loaded here and handed to ZooKeeper as a PKCS#12 key store in a private temporary file
 * (owner-only, random password, deleted at exit); the CA file is read by ZooKeeper as PEM. Not API.
 */
public final class ZkTls {
  private ZkTls() {}

  /**
   * @throws IOException when a file cannot be read, parsed, or the key store written
   * @throws IllegalArgumentException when only some of the three files are given
   */
  public static ZKClientConfig clientConfig(RegistryConfig config) throws IOException {
    if (config.tlsCert() == null || config.tlsKey() == null || config.tlsCa() == null) {
      throw new IllegalArgumentException("ZooKeeper TLS needs tls_cert, tls_key and tls_ca together");
    }
    Files.readString(config.tlsCa()); // fail here, naming the file, rather than inside the client
    String password = java.util.UUID.randomUUID().toString();
    Path store = Files.createTempFile("fingerpost-zk-client", ".p12",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    store.toFile().deleteOnExit();
    try {
      java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
      java.util.List<java.security.cert.Certificate> chain;
      try (java.io.InputStream in = Files.newInputStream(config.tlsCert())) {
        chain = new java.util.ArrayList<>(cf.generateCertificates(in));
      }
      if (chain.isEmpty()) {
        throw new IOException("no certificate in " + config.tlsCert());
      }
      java.security.PrivateKey key = privateKey(config.tlsKey());
      java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("client", key, password.toCharArray(), chain.toArray(new java.security.cert.Certificate[0]));
      try (java.io.OutputStream out = Files.newOutputStream(store)) {
        ks.store(out, password.toCharArray());
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("Cannot use ZooKeeper TLS files " + config.tlsCert() + " / " + config.tlsKey() + ": " + e, e);
    }
    ZKClientConfig zk = new ZKClientConfig();
    zk.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
    zk.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
    try (ClientX509Util x509 = new ClientX509Util()) {
      zk.setProperty(x509.getSslKeystoreLocationProperty(), store.toString());
      zk.setProperty(x509.getSslKeystorePasswdProperty(), password);
      zk.setProperty(x509.getSslKeystoreTypeProperty(), "PKCS12");
      zk.setProperty(x509.getSslTruststoreLocationProperty(), config.tlsCa().toString());
      zk.setProperty(x509.getSslTruststoreTypeProperty(), "PEM");
    }
    return zk;
  }

  /** A PKCS#8 PEM key ({@code BEGIN PRIVATE KEY}), RSA or EC. */
  private static java.security.PrivateKey privateKey(Path file) throws IOException,
      java.security.GeneralSecurityException {
    String pem = Files.readString(file);
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new IOException(file + " holds no PKCS#8 'BEGIN PRIVATE KEY' block (convert with "
          + "'openssl pkcs8 -topk8 -nocrypt')");
    }
    byte[] der = java.util.Base64.getMimeDecoder().decode(
        pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
    java.security.spec.PKCS8EncodedKeySpec spec = new java.security.spec.PKCS8EncodedKeySpec(der);
    try {
      return java.security.KeyFactory.getInstance("RSA").generatePrivate(spec);
    } catch (java.security.spec.InvalidKeySpecException e) {
      return java.security.KeyFactory.getInstance("EC").generatePrivate(spec);
    }
  }
}
