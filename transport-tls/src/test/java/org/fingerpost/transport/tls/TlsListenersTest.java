package org.fingerpost.transport.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fingerpost.testing.RecordingSink;
import org.fingerpost.testing.TestPki;
import org.fingerpost.transport.ListenerTls;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.finger.FingerServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listener TLS found through the SPI ({@link ListenerTls}, {@link java.util.ServiceLoader}) as the
 * daemons find it, and finger TLS end to end with every key format {@code openssl} writes, on the
 * listener and on the dialling side: PKCS#8, PKCS#1 RSA and SEC1 EC.
 */
class TlsListenersTest {
  @TempDir Path dir;

  @Test
  void foundThroughTheSpiAndServingEveryKeyFormat() throws Exception {
    ListenerTls listenerTls = ListenerTls.find(getClass().getClassLoader()).orElseThrow();
    assertInstanceOf(TlsListeners.class, listenerTls);
    TestPki pki = new TestPki(dir);
    TestPki.Cert ca = pki.ca("ca");
    Instant from = Instant.now().minus(Duration.ofHours(1));
    Instant to = Instant.now().plus(Duration.ofDays(1));
    List<AutoCloseable> resources = new ArrayList<>();
    for (String alg : new String[] {"RSA", "EC"}) {
      for (TestPki.KeyFormat format : TestPki.KeyFormat.values()) {
        String name = alg + "-" + format;
        TestPki.Cert server = ca.issue("server-" + name, from, to, alg, format, "localhost");
        TestPki.Cert client = ca.issue("client-" + name, from, to, alg, format, "client.example");
        TransportSettings settings = new TransportSettings(Map.of(ListenerTls.CERT_KEY, server.certFile.toString(),
            ListenerTls.KEY_KEY, server.keyFile.toString(), ListenerTls.CA_KEY, ca.certFile.toString()));
        SslContextFactory.Server factory = listenerTls.listener(SslContextFactory.Server.class, settings, resources::add);
        assertTrue(factory.getNeedClientAuth(), "mutual TLS");
        try (FingerServer s = FingerServer.builder().name("listener-" + name).host("127.0.0.1").port(0)
                .handler((request, ex) -> TlsHopTest.stream(ex, TlsHopTest.LOG, 16 * 1024))
                .sslContextFactory(factory).build();
            TlsTransport t = TlsHopTest.transport(client.certFile, client.keyFile, ca.certFile, true)) {
          s.start();
          RecordingSink sink = new RecordingSink();
          t.open(TlsHopTest.target(TlsHopTest.LOG_ID, s.port()), sink);
          assertNull(sink.done.get(TlsHopTest.WAIT.toSeconds(), TimeUnit.SECONDS), name);
          assertArrayEquals(TlsHopTest.LOG, sink.bytes(), name);
        }
      }
    }
    assertTrue(resources.size() == 4 && resources.get(0) instanceof CertificateReloader, resources.toString());
    for (AutoCloseable r : resources) {
      r.close();
    }
    assertTrue(listenerTls.provider().isPresent(), "the provider gauge has a name");
  }

  @Test
  void refusesAnotherListenerTypeAndIncompleteSettings() {
    TlsListeners listenerTls = new TlsListeners();
    assertThrows(IllegalArgumentException.class,
        () -> listenerTls.listener(String.class, TransportSettings.EMPTY, r -> { }));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> listenerTls.listener(SslContextFactory.Server.class, TransportSettings.EMPTY, r -> { }));
    assertTrue(e.getMessage().contains(ListenerTls.CA_KEY), e.getMessage());
  }
}
