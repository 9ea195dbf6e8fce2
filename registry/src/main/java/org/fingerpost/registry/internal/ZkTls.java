package org.fingerpost.registry.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Collections;
import java.util.UUID;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;
import org.fingerpost.pem.PemFiles;
import org.fingerpost.registry.RegistrySettings;

/**
 * The ZooKeeper client's TLS settings from Zuul's three PEM files ({@code tls_cert}, {@code tls_key},
 * {@code tls_ca}): a secure Netty connection presenting the certificate and trusting the CA, the
 * server's hostname checked (ZooKeeper's default). Not API.
 *
 * <p>The files are read by {@link PemFiles}, the reader finger TLS uses too, so both accept the same
 * keys (PKCS#8, PKCS#1 RSA, SEC1 EC). ZooKeeper's client still needs files: its Netty client builds
 * its context from key and trust store <em>locations</em> (ZooKeeper 3.9's {@code
 * ssl.context.supplier.class} is not used by the Netty client), and its own PEM store type reads only
 * PKCS#8 keys, with the certificate in the same file. So the stores read here are written as PKCS#12
 * files, owner-only, with a random password, deleted at exit.
 */
public final class ZkTls {
  private static final String STORE_TYPE = "PKCS12";
  private static final String FILE_PREFIX = "fingerpost-zk-";

  private ZkTls() {}

  /**
   * @throws IOException when a file cannot be read, parsed, or a key store written
   * @throws IllegalArgumentException when only some of the three files are given
   */
  public static ZKClientConfig clientConfig(RegistrySettings config) throws IOException {
    if (config.tlsCert() == null || config.tlsKey() == null || config.tlsCa() == null) {
      throw new IllegalArgumentException("ZooKeeper TLS needs tls_cert, tls_key and tls_ca together");
    }
    String password = UUID.randomUUID().toString();
    Path keyStore = store("client", PemFiles.keyStore(config.tlsCert(), config.tlsKey()), password);
    Path trustStore = store("ca", PemFiles.trustStore(config.tlsCa()), password);
    ZKClientConfig zk = new ZKClientConfig();
    zk.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
    zk.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
    try (ClientX509Util x509 = new ClientX509Util()) {
      zk.setProperty(x509.getSslKeystoreLocationProperty(), keyStore.toString());
      zk.setProperty(x509.getSslKeystorePasswdProperty(), password);
      zk.setProperty(x509.getSslKeystoreTypeProperty(), STORE_TYPE);
      zk.setProperty(x509.getSslTruststoreLocationProperty(), trustStore.toString());
      zk.setProperty(x509.getSslTruststorePasswdProperty(), password);
      zk.setProperty(x509.getSslTruststoreTypeProperty(), STORE_TYPE);
    }
    return zk;
  }

  /** {@code store} re-keyed under {@code password} in a new owner-only temporary file. */
  private static Path store(String name, KeyStore store, String password) throws IOException {
    Path file = Files.createTempFile(FILE_PREFIX + name, ".p12",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    file.toFile().deleteOnExit();
    try (OutputStream out = Files.newOutputStream(file)) {
      KeyStore copy = KeyStore.getInstance(STORE_TYPE);
      copy.load(null, null);
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          char[] inMemory = PemFiles.IN_MEMORY_PASSWORD.toCharArray();
          copy.setKeyEntry(alias, store.getKey(alias, inMemory), password.toCharArray(),
              store.getCertificateChain(alias));
        } else {
          copy.setCertificateEntry(alias, store.getCertificate(alias));
        }
      }
      copy.store(out, password.toCharArray());
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot write the ZooKeeper " + name + " key store " + file + ": " + e.getMessage(), e);
    }
    return file;
  }
}
