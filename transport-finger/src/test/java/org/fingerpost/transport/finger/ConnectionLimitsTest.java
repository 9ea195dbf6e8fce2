package org.fingerpost.transport.finger;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fingerpost.testing.Await;
import org.fingerpost.testing.RawFingerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connection limits of a finger listener (issue 15, finding 3): refusals in all, per address, accept queue. */
@Timeout(60)
class ConnectionLimitsTest {
  private static final FingerHandler HELLO = (request, exchange) ->
      Producers.stream(exchange, List.of(ByteBuffer.wrap(("hello " + request.buildId()).getBytes(UTF_8))).iterator());

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private FingerServer start(ConnectionLimits limits) throws Exception {
    FingerServer server = FingerServer.builder().name("limits").host("0.0.0.0").port(0).handler(HELLO)
        .connectionLimits(limits).build();
    open.add(server);
    server.start();
    return server;
  }

  /** A silent socket from {@code source} (any 127.x.y.z is loopback), held until the test ends. */
  private Socket silent(String source, int port) throws IOException {
    Socket s = new Socket();
    open.add(s);
    s.bind(new InetSocketAddress(source, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), RawFingerClient.READ_TIMEOUT_MS);
    s.setSoTimeout(RawFingerClient.READ_TIMEOUT_MS);
    return s;
  }

  private static String request(Socket s, String line) throws IOException {
    s.getOutputStream().write(line.getBytes(UTF_8));
    InputStream in = s.getInputStream();
    return new String(in.readAllBytes(), UTF_8);
  }

  /** Opens {@code n} silent sockets from {@code source} and waits until the server has accepted them all. */
  private void holdSilent(FingerServer server, String source, int n) throws IOException {
    int before = server.openConnections();
    for (int i = 0; i < n; i++) {
      silent(source, server.port());
    }
    Await.until("the silent sockets accepted", () -> server.openConnections() == before + n);
  }

  @Test
  void thePerAddressLimitRefusesTheNextClientOfThatAddressAndServesOthers() throws Exception {
    FingerServer server = start(ConnectionLimits.of(0, 5, 16));
    holdSilent(server, "127.0.0.1", 5);

    assertEquals(ConnectionLimits.REFUSAL, request(silent("127.0.0.1", server.port()), "abc\n"));
    assertEquals("hello abc", request(silent("127.0.0.2", server.port()), "abc\n"));
    assertEquals(1, server.refusedConnections());
  }

  @Test
  void aSilentRefusedClientReadsTheRefusalToo() throws Exception {
    FingerServer server = start(ConnectionLimits.of(0, 2, 16));
    holdSilent(server, "127.0.0.1", 2);
    Socket refused = silent("127.0.0.1", server.port());
    assertEquals(ConnectionLimits.REFUSAL, new String(refused.getInputStream().readAllBytes(), UTF_8));
  }

  @Test
  void theGlobalLimitRefusesEveryAddress() throws Exception {
    FingerServer server = start(ConnectionLimits.of(4, 0, 16));
    holdSilent(server, "127.0.0.1", 4);
    assertEquals(ConnectionLimits.REFUSAL, request(silent("127.0.0.2", server.port()), "abc\n"));
  }

  @Test
  void aClosedConnectionFreesItsPlace() throws Exception {
    FingerServer server = start(ConnectionLimits.of(0, 1, 16));
    Socket first = silent("127.0.0.1", server.port());
    Await.until("one open", () -> server.openConnections() == 1);
    assertEquals(ConnectionLimits.REFUSAL, request(silent("127.0.0.1", server.port()), "abc\n"));
    first.close();
    Await.until("none open", () -> server.openConnections() == 0);
    assertEquals("hello abc", request(silent("127.0.0.1", server.port()), "abc\n"));
  }

  @Test
  void theAcceptQueueIsTheListenBacklog() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/ss")) || Files.isExecutable(Path.of("/bin/ss")), "needs ss");
    FingerServer server = start(ConnectionLimits.of(0, 0, 37));
    // For a listening socket, ss's Send-Q column is the backlog the socket was bound with.
    Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + server.port()).redirectErrorStream(true).start();
    String out = new String(ss.getInputStream().readAllBytes(), UTF_8).trim();
    assertEquals(true, ss.waitFor(20, TimeUnit.SECONDS));
    assertEquals("37", out.split("\\s+")[2], out);
  }

  @Test
  void badLimitsAreRefusedNamingTheKey() {
    assertEquals("max_connections must be 0 (no limit) or more, not -1",
        assertThrows(IllegalArgumentException.class, () -> ConnectionLimits.of(-1, 0, 1)).getMessage());
    assertEquals("accept_queue must be at least 1, not 0",
        assertThrows(IllegalArgumentException.class, () -> ConnectionLimits.of(0, 0, 0)).getMessage());
  }
}
