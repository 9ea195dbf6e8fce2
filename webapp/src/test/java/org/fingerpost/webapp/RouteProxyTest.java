package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fingerpost.webapp.routes.ProxySettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP through a route to a real backend: streaming, idle timeout, uploads and their limit, headers.
 * Here on the embedded server's core proxy ({@code RouteHandler}); {@link ServletRouteProxyTest}
 * runs the same tests on the servlet proxy a WAR uses.
 */
class RouteProxyTest {
  static final Duration IDLE = Duration.ofSeconds(1);
  static final long LIMIT = 8L * 1024 * 1024;

  @TempDir
  Path jobDir;
  RouteBackend backend;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void backend() throws Exception {
    backend = new RouteBackend();
  }

  @AfterEach
  void stop() throws Exception {
    backend.close();
  }

  /** Whether routes proxy on Jetty's core API (the embedded server) or on the servlet layer (a WAR). */
  boolean coreRoutes() {
    return true;
  }

  WebCluster web(String trusted) throws Exception {
    return web(trusted, coreRoutes());
  }

  WebCluster web(String trusted, boolean coreRoutes) throws Exception {
    Map<String, URI> routes = new LinkedHashMap<>();
    routes.put("/b/", backend.uri());
    return new WebCluster(jobDir, b -> b.routes(routes).proxy(ProxySettings.builder().idleTimeout(IDLE)
        .maxBodyBytes(LIMIT).trustedProxies(ProxySettings.parseList(trusted)).build()), coreRoutes);
  }

  @Test
  void responsesReachTheClientAsTheBackendSendsThemWithNoTotalTimeout() throws Exception {
    try (WebCluster web = web(null)) {
      HttpResponse<InputStream> slow = http.send(HttpRequest.newBuilder(web.http("/b/slow")).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertEquals(200, slow.statusCode());
      BufferedReader lines = new BufferedReader(new InputStreamReader(slow.body(), StandardCharsets.UTF_8));
      assertEquals("first", lines.readLine(), "the first chunk arrives while the backend holds the second");
      backend.release.countDown();
      assertEquals("second", lines.readLine());
      assertEquals(null, lines.readLine());

      // 12 bytes a quarter second apart: 3 s, three times the idle timeout, kept alive by the bytes.
      HttpResponse<String> drip = http.send(HttpRequest.newBuilder(web.http("/b/drip?n=12&ms=250")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(".".repeat(12), drip.body());
    }
  }

  @Test
  void aSilentBackendEndsAtTheIdleTimeoutWith504() throws Exception {
    try (WebCluster web = web(null)) {
      long start = System.nanoTime();
      HttpResponse<String> silent = http.send(HttpRequest.newBuilder(web.http("/b/silent")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(504, silent.statusCode());
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30));
    }
  }

  @Test
  void uploadsStreamToTheBackendAndStopAtTheLimit() throws Exception {
    try (WebCluster web = web(null)) {
      long size = 6L * 1024 * 1024;
      // The client sends 1 MiB, then waits until the backend has bytes before sending the rest:
      // a proxy that buffered the body would never let it finish.
      InputStream body = new InputStream() {
        long sent;

        @Override
        public int read() {
          throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (sent == 1024 * 1024) {
            try {
              if (!backend.firstBytes.await(20, TimeUnit.SECONDS)) {
                throw new IOException("backend saw nothing of the first MiB");
              }
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
          }
          if (sent >= size) {
            return -1;
          }
          int n = (int) Math.min(len, Math.min(size - sent, 1024 * 1024 - (sent % (1024 * 1024))));
          java.util.Arrays.fill(b, off, off + n, (byte) 'x');
          sent += n;
          return n;
        }
      };
      HttpResponse<String> up = http.send(HttpRequest.newBuilder(web.http("/b/upload"))
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals("received=" + size, up.body());

      String declared = raw(web, "POST /b/upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + (LIMIT + 1) + "\r\n\r\n", null);
      assertTrue(declared.startsWith("HTTP/1.1 413"), declared);
      assertTrue(declared.contains("Request body larger than " + LIMIT + " bytes"), declared);
      String chunked = raw(web, "POST /b/upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", LIMIT * 2);
      assertTrue(chunked.startsWith("HTTP/1.1 413"), chunked);
    }
  }

  @Test
  void forgedForwardingAndHopByHopHeadersAreDroppedCredentialsPass() throws Exception {
    String request = "GET /b/echo/x?q=1 HTTP/1.1\r\nHost: front.example\r\nX-Forwarded-For: 10.0.0.1\r\n"
        + "X-Real-IP: 10.0.0.2\r\nForwarded: for=10.0.0.3\r\nX-Forwarded-Host: evil\r\nConnection: X-Custom\r\n"
        + "X-Custom: hop\r\nKeep-Alive: timeout=5\r\nAuthorization: Bearer secret\r\nCookie: a=b\r\n\r\n";
    try (WebCluster web = web(null)) {
      String answer = raw(web, request, null);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertTrue(answer.contains("GET /echo/x?q=1\n"), answer);
      assertTrue(answer.contains("x-forwarded-for: 127.0.0.1\n"), answer);
      assertTrue(answer.contains("x-forwarded-host: front.example\n"), answer);
      assertTrue(answer.contains("x-forwarded-proto: http\n"), answer);
      assertTrue(answer.contains("forwarded: for=127.0.0.1;host=\"front.example\";proto=http\n"), answer);
      assertFalse(answer.contains("x-real-ip"), answer);
      assertFalse(answer.contains("x-custom"), answer);
      assertFalse(answer.contains("keep-alive: timeout"), answer);
      assertTrue(answer.contains("via: 1.1 fingerpost\n"), answer);
      assertTrue(answer.contains("authorization: Bearer secret\n"), answer);
      assertTrue(answer.contains("cookie: a=b\n"), answer);
      // The response: the header its Connection names is dropped, the others and cookies pass.
      assertFalse(answer.contains("X-Resp"), answer);
      assertTrue(answer.contains("X-Kept: yes"), answer);
      assertTrue(answer.contains("Set-Cookie: session=abc; Path=/"), answer);
    }
    try (WebCluster web = web("127.0.0.0/8, ::1")) {
      String answer = raw(web, request, null);
      assertTrue(answer.contains("x-forwarded-for: 10.0.0.1, 127.0.0.1\n"), answer);
      assertTrue(answer.contains("x-real-ip: 10.0.0.2\n"), answer);
      assertTrue(answer.contains("x-forwarded-host: evil\n"), answer);
      assertTrue(answer.contains("forwarded: for=10.0.0.3, for=127.0.0.1;host=\"front.example\";proto=http\n"), answer);
    }
  }

  /**
   * Sends {@code head} on a raw connection (then {@code chunkedBytes} of chunked body from another
   * thread, if set) and returns everything the server answers until it closes.
   */
  static String raw(WebCluster web, String head, Long chunkedBytes) throws Exception {
    try (Socket s = new Socket("127.0.0.1", web.web.port())) {
      s.setSoTimeout(120_000); // generous: a busy machine moves the body slowly
      OutputStream out = s.getOutputStream();
      out.write(head.replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n")
          .replace("Connection: close\r\nHost: x\r\nTransfer", "Host: x\r\nTransfer")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      if (chunkedBytes != null) {
        Thread writer = new Thread(() -> {
          byte[] chunk = new byte[64 * 1024];
          byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
          try {
            for (long sent = 0; sent < chunkedBytes; sent += chunk.length) {
              out.write(size);
              out.write(chunk);
              out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          } catch (IOException expected) {
            // The proxy stopped reading at the limit.
          }
        });
        writer.setDaemon(true);
        writer.start();
      }
      StringBuilder b = new StringBuilder();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          b.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
      } catch (java.net.SocketException reset) {
        // A reset after the answer (unread body) ends the answer too.
      }
      return b.toString();
    }
  }
}
