package org.fingerpost.transport.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RecordingSink;
import org.fingerpost.testing.TestPki;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.StreamTarget;
import org.fingerpost.transport.TransportContext;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.finger.FingerClient;
import org.fingerpost.transport.finger.FingerServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One finger hop over real mutual TLS on loopback: the {@code tls} transport against a {@link
 * FingerServer} with the server factory of {@link TlsContexts}, certificates from a throwaway {@link
 * TestPki}. Every refused peer must leave the server with no connection of its own and must not
 * disturb a live stream running beside it.
 */
class TlsHopTest {
  static final String LOG_ID = "a11";
  static final String LIVE_ID = "11fe";
  static final byte[] LOG = pattern(3 * 1024 * 1024 + 17);
  static final Duration WAIT = Duration.ofSeconds(15);

  @TempDir Path dir;
  TestPki pki;
  TestPki.Cert ca;
  TestPki.Cert server;
  TestPki.Cert client;
  LiveFeed live;
  FingerServer tlsServer;
  CertificateReloader serverReloader;
  /** What an operator reads: the server's handshake monitor and the client transport. */
  LogCapture logs;
  static final String SERVER_LOG = "org.fingerpost.transport.finger.internal.TlsHandshakeMonitor";

  @BeforeEach
  void pki() throws Exception {
    pki = new TestPki(dir);
    ca = pki.ca("ca");
    server = ca.issue("server", "localhost");
    client = ca.issue("client", "client.example");
    live = new LiveFeed();
    logs = new LogCapture(SERVER_LOG, TlsTransport.class.getName());
  }

  @AfterEach
  void stop() {
    logs.close();
    if (serverReloader != null) {
      serverReloader.close();
    }
    if (tlsServer != null) {
      tlsServer.close();
    }
  }

  void handle(org.fingerpost.transport.finger.FingerRequest request, org.fingerpost.transport.finger.FingerExchange ex) {
    if (request.buildId().equals(LIVE_ID)) {
      live.sink.complete(ex);
      return;
    }
    stream(ex, LOG, 16 * 1024);
  }

  FingerServer startTlsServer(TlsSettings settings, Duration handshakeTimeout) throws Exception {
    FingerServer s = FingerServer.builder().name("tls-test").host("127.0.0.1").port(0)
        .handler(this::handle).sslContextFactory(TlsContexts.server(settings))
        .handshakeTimeout(handshakeTimeout).build();
    s.start();
    return s;
  }

  TlsSettings serverSettings() {
    return TlsSettings.builder().cert(server.certFile).key(server.keyFile).ca(ca.certFile).build();
  }

  static TlsTransport transport(Path cert, Path key, Path caFile, boolean verifyHostnames) throws Exception {
    Map<String, String> m = new HashMap<>();
    if (cert != null) {
      m.put(TlsSettings.CERT_KEY, cert.toString());
      m.put(TlsSettings.KEY_KEY, key.toString());
    }
    if (caFile != null) {
      m.put(TlsSettings.CA_KEY, caFile.toString());
    }
    m.put(TlsSettings.VERIFY_HOSTNAMES_KEY, Boolean.toString(verifyHostnames));
    TlsTransport t = new TlsTransport();
    t.start(new TransportSettings(m), TransportContext.NONE);
    return t;
  }

  TlsTransport goodClient() throws Exception {
    return transport(client.certFile, client.keyFile, ca.certFile, true);
  }

  static StreamTarget target(String id, int port) {
    return StreamTarget.builder(id, "127.0.0.1", port).tls(true).serverName("localhost").build();
  }

  @Test
  void mutualTlsStreamIsByteIdenticalToPlainAndUsesConscrypt() throws Exception {
    tlsServer = startTlsServer(serverSettings(), FingerServer.DEFAULT_HANDSHAKE_TIMEOUT);
    try (FingerServer plain = FingerServer.builder().name("plain-test").host("127.0.0.1").port(0)
            .handler(this::handle).build();
        FingerClient plainClient = FingerClient.builder().build();
        TlsTransport tls = goodClient()) {
      plain.start();
      plainClient.start();
      RecordingSink viaPlain = new RecordingSink();
      plainClient.open(StreamTarget.builder(LOG_ID, "127.0.0.1", plain.port()).build(), viaPlain);
      RecordingSink viaTls = new RecordingSink();
      tls.open(target(LOG_ID, tlsServer.port()), viaTls);
      assertNull(viaPlain.done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertNull(viaTls.done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertArrayEquals(LOG, viaPlain.bytes());
      assertArrayEquals(viaPlain.bytes(), viaTls.bytes());
      assertEquals(TlsProvider.conscryptAvailable() ? TlsProvider.CONSCRYPT : TlsProvider.JDK, tls.provider());
      assertEquals(0, tlsServer.tlsHandshakeFailures());
    }
  }

  @Test
  void jdkProviderWorksTheSame() throws Exception {
    tlsServer = startTlsServer(serverSettings().toBuilder().provider(TlsProvider.Preference.JDK).build(),
        FingerServer.DEFAULT_HANDSHAKE_TIMEOUT);
    Map<String, String> m = Map.of(TlsSettings.CERT_KEY, client.certFile.toString(),
        TlsSettings.KEY_KEY, client.keyFile.toString(), TlsSettings.CA_KEY, ca.certFile.toString(),
        TlsSettings.PROVIDER_KEY, "jdk");
    try (TlsTransport tls = new TlsTransport()) {
      tls.start(new TransportSettings(m), TransportContext.NONE);
      RecordingSink sink = new RecordingSink();
      tls.open(target(LOG_ID, tlsServer.port()), sink);
      assertNull(sink.done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertArrayEquals(LOG, sink.bytes());
      assertEquals(TlsProvider.JDK, tls.provider());
    }
  }

  /** A live stream that must keep flowing while bad peers are refused beside it. */
  final class LiveStream implements AutoCloseable {
    final TlsTransport transport;
    final RecordingSink sink = new RecordingSink();
    int expected;

    LiveStream(int port) throws Exception {
      transport = goodClient();
      transport.open(target(LIVE_ID, port), sink);
      push("first line\n");
    }

    void push(String text) throws Exception {
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      live.push(b);
      expected += b.length;
      assertTrue(sink.awaitBytes(expected, WAIT), "live stream stalled");
    }

    @Override
    public void close() {
      transport.close();
    }
  }

  /** Refused, counted by the server, no connection, client stream or (after close) client thread left. */
  void assertRefusedAndClosed(TlsTransport bad, FingerServer s) throws Exception {
    try (bad) {
      assertRefused(bad, s, s.tlsHandshakeFailures());
      await(() -> bad.openStreams() == 0, "refused client stream still open");
    }
    String prefix = bad.clientName() + "-";
    await(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith(prefix)),
        "threads of the closed client still alive");
  }

  void assertRefused(TlsTransport bad, FingerServer s, long failuresBefore) throws Exception {
    int openBefore = s.openConnections();
    RecordingSink sink = new RecordingSink();
    bad.open(target(LOG_ID, s.port()), sink);
    StreamException error = sink.done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertNotNull(error, "a refused TLS client must see an error, not a clean end");
    assertEquals(0, sink.bytes().length, "no log byte may reach a refused client");
    await(() -> s.tlsHandshakeFailures() > failuresBefore, "server did not report the failed handshake");
    await(() -> s.openConnections() == openBefore, "refused connection still open on the server");
  }

  @Test
  void refusesBadClientsWithoutDisturbingALiveStream() throws Exception {
    tlsServer = startTlsServer(serverSettings(), FingerServer.DEFAULT_HANDSHAKE_TIMEOUT);
    TestPki.Cert foreignCa = pki.ca("foreign-ca");
    TestPki.Cert foreign = foreignCa.issue("foreign", "client.example");
    TestPki.Cert expired = ca.issue("expired", Instant.now().minus(Duration.ofDays(3)),
        Instant.now().minus(Duration.ofDays(1)), "EC", TestPki.KeyFormat.PKCS8, "client.example");
    try (LiveStream stream = new LiveStream(tlsServer.port())) {
      await(() -> tlsServer.openConnections() == 1, "live stream not open");

      // No client certificate at all.
      int mark = logs.mark();
      assertRefusedAndClosed(transport(null, null, ca.certFile, true), tlsServer);
      logs.await(mark, "WARN tls-test: TLS handshake with /127.0.0.1:", "connection refused",
          "the client presented no certificate signed by our CA");
      // The client's own view is not asserted here: with TLS 1.3 the server judges the client's
      // certificate after the client finished, so the client sees either the server's alert or just
      // a closed connection, depending on timing.
      stream.push("after no-cert\n");
      // A certificate from another CA (a client only offers a certificate of a CA the server names,
      // so the server sees none at all; a client that sent it anyway would fail the chain check).
      mark = logs.mark();
      assertRefusedAndClosed(transport(foreign.certFile, foreign.keyFile, ca.certFile, true), tlsServer);
      logs.await(mark, "WARN tls-test: TLS handshake with", "connection refused", "signed by our CA");
      stream.push("after foreign CA\n");
      // An expired certificate from the right CA.
      mark = logs.mark();
      assertRefusedAndClosed(transport(expired.certFile, expired.keyFile, ca.certFile, true), tlsServer);
      logs.await(mark, "WARN tls-test: TLS handshake with", "connection refused", "validity check failed");
      stream.push("after expired\n");
      live.end();
      assertNull(stream.sink.done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertEquals("first line\nafter no-cert\nafter foreign CA\nafter expired\n",
          new String(stream.sink.bytes(), StandardCharsets.UTF_8));
      await(() -> tlsServer.openConnections() == 0, "connections left open");
      assertEquals(0, stream.transport.reloader().reloads());
    }
  }

  @Test
  void hostnameMismatchIsRefusedWithVerificationAndAcceptedWithout() throws Exception {
    TestPki.Cert wrongName = ca.issue("wrong-name", "somewhere-else.example");
    tlsServer = startTlsServer(TlsSettings.builder().cert(wrongName.certFile).key(wrongName.keyFile)
        .ca(ca.certFile).build(), FingerServer.DEFAULT_HANDSHAKE_TIMEOUT);
    try (TlsTransport verifying = goodClient();
        TlsTransport lenient = transport(client.certFile, client.keyFile, ca.certFile, false)) {
      RecordingSink refused = new RecordingSink();
      verifying.open(target(LOG_ID, tlsServer.port()), refused);
      StreamException error = refused.done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertNotNull(error);
      assertEquals(StreamException.Kind.INTERNAL, error.kind());
      logs.await(0, "WARN TLS hop to 127.0.0.1:" + tlsServer.port() + " (SNI localhost)",
          "hostname mismatch: the server certificate does not name the host dialled");
      assertEquals(0, refused.bytes().length);
      await(() -> tlsServer.openConnections() == 0, "refused connection still open");
      await(() -> verifying.openStreams() == 0, "client stream still open");

      RecordingSink accepted = new RecordingSink();
      lenient.open(target(LOG_ID, tlsServer.port()), accepted);
      assertNull(accepted.done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertArrayEquals(LOG, accepted.bytes());
    }
  }

  @Test
  void plaintextClientOnTlsPortAndStalledHandshakeAreClosed() throws Exception {
    tlsServer = startTlsServer(serverSettings(), Duration.ofMillis(300));
    try (LiveStream stream = new LiveStream(tlsServer.port())) {
      // Plain finger on the TLS port: no log byte comes back, the server closes.
      long before = tlsServer.tlsHandshakeFailures();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", tlsServer.port()), 5000);
        s.setSoTimeout((int) WAIT.toMillis());
        s.getOutputStream().write("0123456789abcdef0123456789abcdef\n".getBytes(StandardCharsets.US_ASCII));
        byte[] answer = s.getInputStream().readAllBytes();
        assertTrue(answer.length < 64, "a plaintext client got data: " + answer.length + " bytes");
        assertTrue(!new String(answer, StandardCharsets.ISO_8859_1).contains("\u00d5"), "log bytes leaked");
      }
      await(() -> tlsServer.tlsHandshakeFailures() > before, "plaintext client not reported");
      logs.await(0, "WARN tls-test: TLS handshake with", "not TLS (a plain-text client on a TLS port?)");
      await(() -> tlsServer.openConnections() == 1, "plaintext connection still open");
      stream.push("after plaintext\n");

      // A client that connects and never says hello is closed after the handshake timeout.
      long beforeStall = tlsServer.tlsHandshakeFailures();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", tlsServer.port()), 5000);
        s.setSoTimeout((int) WAIT.toMillis());
        InputStream in = s.getInputStream();
        assertEquals(-1, in.read(), "stalled handshake must end with the server closing");
      }
      await(() -> tlsServer.tlsHandshakeFailures() > beforeStall, "stalled handshake not reported");
      logs.await(0, "WARN tls-test: TLS handshake with", "not complete within 300 ms, connection closed");
      await(() -> tlsServer.openConnections() == 1, "stalled connection still open");
      stream.push("after stall\n");
      live.end();
      assertNull(stream.sink.done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }
  }

  @Test
  void tlsClientOnPlainPortFailsAndLeavesNothingOpen() throws Exception {
    String threads;
    try (FingerServer plain = FingerServer.builder().name("plain-test").host("127.0.0.1").port(0)
            .requestTimeout(Duration.ofSeconds(2)).handler(this::handle).build();
        TlsTransport tls = goodClient()) {
      plain.start();
      RecordingSink sink = new RecordingSink();
      tls.open(target(LOG_ID, plain.port()), sink);
      StreamException error = sink.done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertNotNull(error, "a TLS client on a plain port must fail");
      logs.await(0, "WARN TLS hop to 127.0.0.1:" + plain.port(), "the server does not speak TLS");
      assertEquals(0, sink.bytes().length);
      await(() -> plain.openConnections() == 0, "plain server kept the connection");
      await(() -> tls.openStreams() == 0, "client kept the stream");
      threads = tls.clientName() + "-";
    }
    await(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith(threads)),
        "threads of the closed client still alive");
  }

  @Test
  void reloadedCertificatesApplyToNewConnectionsWhileALiveStreamContinues() throws Exception {
    // Server and CA files in their own place, replaced in it like a mounted secret.
    Path certFile = Files.copy(server.certFile, dir.resolve("live-server.crt"));
    Path keyFile = Files.copy(server.keyFile, dir.resolve("live-server.key"));
    Path caFile = Files.copy(ca.certFile, dir.resolve("live-ca.crt"));
    TlsSettings settings = TlsSettings.builder().cert(certFile).key(keyFile).ca(caFile)
        .reloadInterval(Duration.ofMillis(100)).build();
    org.eclipse.jetty.util.ssl.SslContextFactory.Server factory = TlsContexts.server(settings);
    tlsServer = FingerServer.builder().name("reload-test").host("127.0.0.1").port(0).handler(this::handle)
        .sslContextFactory(factory).build();
    tlsServer.start();
    serverReloader = CertificateReloader.start(factory, settings);

    TestPki.Cert newCa = pki.ca("new-ca");
    TestPki.Cert newServer = newCa.issue("new-server", "localhost");
    TestPki.Cert newClient = newCa.issue("new-client", "client.example");
    try (LiveStream stream = new LiveStream(tlsServer.port());
        TlsTransport newGood = transport(newClient.certFile, newClient.keyFile, newCa.certFile, true)) {
      // Before the rotation the new PKI is refused.
      assertRefused(newGood, tlsServer, tlsServer.tlsHandshakeFailures());

      Files.copy(newServer.certFile, certFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.copy(newServer.keyFile, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.copy(newCa.certFile, caFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      await(() -> serverReloader.reloads() >= 1, "server did not reload the rotated files");

      // The stream opened under the old certificates goes on.
      stream.push("after rotation\n");
      // New connections: the new PKI works, the old one is refused.
      RecordingSink ok = new RecordingSink();
      newGood.open(target(LOG_ID, tlsServer.port()), ok);
      assertNull(ok.done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertArrayEquals(LOG, ok.bytes());
      assertRefusedAndClosed(goodClient(), tlsServer);
      stream.push("still streaming\n");
      live.end();
      assertNull(stream.sink.done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertEquals("first line\nafter rotation\nstill streaming\n",
          new String(stream.sink.bytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void clientCertificateReloadAppliesToTheNextHop() throws Exception {
    // The server trusts only a new CA; the client starts with the old one's certificate, then its
    // files are replaced in place (tls_reload_interval_ms: 100) and the next hop succeeds.
    TestPki.Cert newCa = pki.ca("new-ca");
    TestPki.Cert newClient = newCa.issue("new-client", "client.example");
    Path bundle = pki.bundle("both-cas", ca, newCa);
    tlsServer = startTlsServer(TlsSettings.builder().cert(server.certFile).key(server.keyFile).ca(newCa.certFile).build(),
        FingerServer.DEFAULT_HANDSHAKE_TIMEOUT);
    Path certFile = Files.copy(client.certFile, dir.resolve("rotating-client.crt"));
    Path keyFile = Files.copy(client.keyFile, dir.resolve("rotating-client.key"));
    try (TlsTransport t = new TlsTransport()) {
      t.start(new TransportSettings(Map.of(TlsSettings.CERT_KEY, certFile.toString(),
          TlsSettings.KEY_KEY, keyFile.toString(), TlsSettings.CA_KEY, bundle.toString(),
          TlsSettings.RELOAD_INTERVAL_KEY, "100")), TransportContext.NONE);
      assertRefused(t, tlsServer, tlsServer.tlsHandshakeFailures());

      Files.copy(newClient.certFile, certFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.copy(newClient.keyFile, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      await(() -> t.reloader().reloads() >= 1, "client did not reload its rotated files");
      RecordingSink ok = new RecordingSink();
      t.open(target(LOG_ID, tlsServer.port()), ok);
      assertNull(ok.done.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertArrayEquals(LOG, ok.bytes());
    }
  }

  static void await(Callable<Boolean> condition, String message) {
    Await.until(message, WAIT, condition);
  }

  static void stream(LogSink sink, byte[] data, int chunkBytes) {
    int[] offset = {0};
    Runnable[] step = new Runnable[1];
    step[0] = () -> {
      if (offset[0] < data.length) {
        int n = Math.min(chunkBytes, data.length - offset[0]);
        ByteBuffer b = ByteBuffer.wrap(data, offset[0], n);
        offset[0] += n;
        sink.onData(b, step[0]);
      } else {
        sink.onEnd();
      }
    };
    step[0].run();
  }

  static byte[] pattern(int size) {
    byte[] data = new byte[size];
    long x = 0x9E3779B97F4A7C15L;
    for (int i = 0; i < size; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      data[i] = (byte) x;
    }
    return data;
  }
}
