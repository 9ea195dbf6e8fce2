package org.fingerpost.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fingerpost.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where Conscrypt's native library cannot load, TLS still works with the JDK's provider and says so.
 * A child JVM whose native-library work directory is a regular file (Conscrypt extracts its library
 * there) plays such a platform.
 */
class TlsProviderFallbackTest {
  @TempDir Path dir;

  @Test
  void fallsBackToTheJdkProviderWithAWarning() throws Exception {
    TestPki pki = new TestPki(dir);
    TestPki.Cert ca = pki.ca("ca");
    TestPki.Cert node = ca.issue("node", "localhost");
    // A regular file where a directory is expected: nothing can be extracted into it (even as root).
    Path nowhere = java.nio.file.Files.writeString(dir.resolve("not-a-dir"), "x");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dorg.conscrypt.native.workdir=" + nowhere, "-Djava.io.tmpdir=" + nowhere,
        "-cp", System.getProperty("java.class.path"), ProviderProbe.class.getName(),
        node.certFile.toString(), node.keyFile.toString(), ca.certFile.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("provider=SunJSSE inUse=SunJSSE"), out);
    assertTrue(out.contains("WARN") && out.contains("Conscrypt's native library cannot load")
        && out.contains("using the JDK's TLS provider SunJSSE"), out);
  }

  @Test
  void conscryptIsUsedWhereItLoads() {
    // The CI platform (Linux x86_64/aarch64) has Conscrypt's native library: it must be the one in use.
    assertTrue(TlsProvider.conscryptAvailable(), "Conscrypt should load on " + System.getProperty("os.arch"));
    assertEquals(TlsProvider.CONSCRYPT, TlsProvider.resolve(TlsProvider.Preference.CONSCRYPT));
    assertEquals(TlsProvider.JDK, TlsProvider.resolve(TlsProvider.Preference.JDK));
  }
}
