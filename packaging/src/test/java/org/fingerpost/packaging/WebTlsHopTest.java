package org.fingerpost.packaging;

import org.fingerpost.config.ConfigLoader;
import org.fingerpost.config.Configuration;
import org.fingerpost.webapp.NodeSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streamer.StreamerSettings;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.TestPki;
import org.fingerpost.transport.Transports;
import org.fingerpost.transport.tls.TlsContexts;
import org.fingerpost.transport.tls.TlsSettings;
import org.fingerpost.webapp.WebServer;
import org.fingerpost.webapp.WebServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web node reaches a Fingerpost streamer whose port speaks TLS, because that streamer's own
 * registry entry says {@code use_ssl} (before, the web node always dialled executors in plain text,
 * and a viewer got an empty log closed with {@code No more data}). Wired as {@code fingerpost web}
 * wires it: the {@code fingergw} {@code tls_*} keys are the web node's outgoing-hop credentials.
 */
class WebTlsHopTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TENANT = "tenant-tls";

  @TempDir Path dir;

  @Test
  void consoleStreamOfATlsStreamerArrivesWhole() throws Exception {
    TestPki pki = new TestPki(Files.createDirectories(dir.resolve("pki")));
    TestPki.Cert ca = pki.ca("ca");
    TestPki.Cert node = ca.issue("node", "localhost");
    Path jobs = Files.createDirectories(dir.resolve("jobs"));
    String uuid = "7e57" + Long.toHexString(System.nanoTime());
    byte[] content = ("line of a TLS-only streamer\n".repeat(20_000)).getBytes(StandardCharsets.UTF_8);
    Path log = Files.createDirectories(jobs.resolve(uuid).resolve("work/logs")).resolve("job-output.txt");
    Files.write(log, content);

    Configuration config = ConfigLoader.yaml(Files.writeString(dir.resolve("web.yaml"), "fingergw:\n"
        + "  tls_cert: " + node.certFile + "\n  tls_key: " + node.keyFile + "\n  tls_ca: " + ca.certFile + "\n"
        + "web:\n  listen_address: 127.0.0.1\n  port: 0\n"), Map.of());
    try (TestingServer zk = new TestingServer(true);
        Registry registry = Registry.connect(RegistrySettings.builder(zk.getConnectString()).build());
        Streamer streamer = new Streamer(StreamerSettings.builder().listenAddress("127.0.0.1").port(0)
            .hostname("localhost").jobDir(jobs).tenant(TENANT)
            .sslContextFactory(TlsContexts.server(TlsSettings.builder().cert(node.certFile).key(node.keyFile)
                .ca(ca.certFile).build()))
            .build(), registry);
        Transports transports = Wiring.transports(config);
        WebServices services = new WebServices(NodeSettings.web(config), registry, transports);
        WebServer web = new WebServer(services)) {
      java.util.concurrent.CountDownLatch published = new java.util.concurrent.CountDownLatch(1);
      registry.curator().checkExists()
          .usingWatcher((org.apache.curator.framework.api.CuratorWatcher) event -> published.countDown())
          .forPath("/zuul/executor/unzoned/requests/" + uuid);
      streamer.start();
      web.start();
      assertTrue(published.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the streamer publishes the build");
      // The web node answers from its watched copy, misses included: wait until the copy has the build.
      org.fingerpost.testing.Await.until("build in the web node's copy", () -> services.builds().find(uuid).isPresent());
      Viewer viewer = new Viewer();
      HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + web.port() + "/api/tenant/" + TENANT + "/console-stream"),
              viewer)
          .get(WAIT.toSeconds(), TimeUnit.SECONDS)
          .sendText("{\"uuid\": \"" + uuid + "\", \"logfile\": \"console.log\"}", true);
      assertTrue(viewer.awaitChars(content.length), "got " + viewer.text.length() + " of " + content.length);
      Files.delete(log); // the executor cleans up: the log ends
      assertEquals("1000 No more data", viewer.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertEquals(new String(content, StandardCharsets.UTF_8), viewer.text.toString());
    }
  }

  /** Collects text frames; {@link #closed} completes with "code reason". */
  private static final class Viewer implements WebSocket.Listener {
    final StringBuffer text = new StringBuffer();
    final CompletableFuture<String> closed = new CompletableFuture<>();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.completeExceptionally(error);
    }

    /** Whether {@code count} characters arrived within {@link #WAIT} (false also when it closed first). */
    boolean awaitChars(int count) {
      Await.within(WAIT, () -> text.length() >= count || closed.isDone());
      return text.length() >= count;
    }
  }
}
