package org.fingerpost.transport.finger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A throw-away PKI for TLS tests: a self-signed server certificate for {@code localhost} made with
 * the JDK's {@code keytool}, and the matching Jetty factories.
 */
final class TestTls {
  static final String PASSWORD = "changeit";

  final Path keyStore;
  final Path trustStore;

  private TestTls(Path keyStore, Path trustStore) {
    this.keyStore = keyStore;
    this.trustStore = trustStore;
  }

  static TestTls create(Path dir) throws IOException, InterruptedException {
    Path keyStore = dir.resolve("server.p12");
    Path cert = dir.resolve("server.pem");
    Path trustStore = dir.resolve("trust.p12");
    keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
        "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(),
        "-storepass", PASSWORD, "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(),
        "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    return new TestTls(keyStore, trustStore);
  }

  SslContextFactory.Server server() {
    SslContextFactory.Server f = new SslContextFactory.Server();
    f.setKeyStorePath(keyStore.toString());
    f.setKeyStorePassword(PASSWORD);
    f.setKeyStoreType("PKCS12");
    return f;
  }

  SslContextFactory.Client client() {
    SslContextFactory.Client f = new SslContextFactory.Client();
    f.setTrustStorePath(trustStore.toString());
    f.setTrustStorePassword(PASSWORD);
    f.setTrustStoreType("PKCS12");
    f.setEndpointIdentificationAlgorithm("HTTPS");
    return f;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> cmd = new java.util.ArrayList<>(List.of(keytool.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + String.join(" ", cmd) + "\n" + new String(out));
    }
  }
}
