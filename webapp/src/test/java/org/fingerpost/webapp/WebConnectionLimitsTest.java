package org.fingerpost.webapp;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web port's connection limits (issue 15, finding 3) and its {@code Server} header (finding 7):
 * past the per-address limit a connection is closed without an answer while another address is
 * served; the accept queue is the listen backlog; no response names Jetty's version.
 */
@Timeout(60)
class WebConnectionLimitsTest {
  @TempDir
  Path jobDir;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private Socket connect(String source, int port) throws IOException {
    Socket s = new Socket();
    open.add(s);
    s.bind(new InetSocketAddress(source, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 20_000);
    s.setSoTimeout(20_000);
    return s;
  }

  /** A plain HTTP/1.1 GET with {@code Connection: close}; the whole response as text. */
  private String get(Socket s, String path) throws IOException {
    try {
      s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(US_ASCII));
      return new String(s.getInputStream().readAllBytes(), US_ASCII);
    } catch (java.net.SocketException e) {
      return ""; // reset: closed by the server without an answer
    }
  }

  @Test
  void pastThePerAddressLimitAConnectionIsClosedWhileAnotherAddressIsServed() throws Exception {
    WebCluster cluster = WebCluster.start(jobDir);
    open.add(cluster);
    WebServer web = new WebServer(cluster.services, new WebServer.Limits(0, 3, 37));
    open.add(web);
    web.start();
    for (int i = 0; i < 3; i++) {
      connect("127.0.0.1", web.port());
    }
    assertEquals("", get(connect("127.0.0.1", web.port()), "/health/live"));
    String served = get(connect("127.0.0.2", web.port()), "/health/live");
    assertTrue(served.startsWith("HTTP/1.1 200 "), served);
    assertEquals(1, web.refusedConnections());
    if (java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/ss"))) {
      // For a listening socket, ss's Send-Q column is the backlog it was bound with.
      Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + web.port()).redirectErrorStream(true).start();
      String out = new String(ss.getInputStream().readAllBytes(), US_ASCII).trim();
      assertEquals("37", out.split("\\s+")[2], out);
    }
  }

  /** Past {@code max_connections} the port stops accepting (Jetty's way): the next client waits, then is served. */
  @Test
  void pastTheTotalLimitTheNextClientWaitsForAFreePlace() throws Exception {
    WebCluster cluster = WebCluster.start(jobDir);
    open.add(cluster);
    WebServer web = new WebServer(cluster.services, new WebServer.Limits(3, 0, 16));
    open.add(web);
    web.start();
    List<Socket> held = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      held.add(connect("127.0.0.1", web.port()));
    }
    Socket waiting = connect("127.0.0.2", web.port());
    waiting.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        .getBytes(US_ASCII));
    waiting.setSoTimeout(500);
    assertThrows(java.net.SocketTimeoutException.class, () -> waiting.getInputStream().read(),
        "served although three connections are open");
    held.get(0).close();
    waiting.setSoTimeout(20_000);
    String served = new String(waiting.getInputStream().readAllBytes(), US_ASCII);
    assertTrue(served.startsWith("HTTP/1.1 200 "), served);
  }

  @Test
  void noResponseNamesTheServersVersion() throws Exception {
    WebCluster cluster = WebCluster.start(jobDir);
    open.add(cluster);
    for (String path : List.of("/health/live", "/no/such/page", "/api/tenant/t/console-stream")) {
      String response = get(connect("127.0.0.1", cluster.web.port()), path);
      assertFalse(response.toLowerCase().contains("server: jetty("), response);
      assertFalse(response.contains(org.eclipse.jetty.util.Jetty.VERSION), response);
    }
  }
}
