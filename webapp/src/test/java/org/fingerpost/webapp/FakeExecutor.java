package org.fingerpost.webapp;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;

/**
 * An executor's log port faked on a real socket, registered as an executor component that accepts
 * offsets (as a Fingerpost streamer is): the test reads each request line and writes, closes or resets
 * each connection itself, as a streamer that is stopped or killed would. {@link #close()} is the
 * process gone: the port refuses from then on.
 */
final class FakeExecutor implements AutoCloseable {
  final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

  FakeExecutor(WebCluster cluster) throws Exception {
    String json = "{\"kind\": \"executor\", \"hostname\": \"127.0.0.1\", \"state\": \"running\", "
        + "\"version\": \"test\", \"log_port\": " + port() + ", \"capabilities\": [\"offset\"]}";
    cluster.zkClient().create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
        .forPath("/zuul/components/executor/fake-", json.getBytes(UTF_8));
  }

  int port() {
    return socket.getLocalPort();
  }

  /** Accepts the next connection (within 60 s) and reads its request line. */
  Connection accept() throws Exception {
    Socket s = CompletableFuture.supplyAsync(() -> {
      try {
        return socket.accept();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).get(60, TimeUnit.SECONDS);
    InputStream in = s.getInputStream();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n' && c >= 0; c = in.read()) {
      line.write(c);
    }
    return new Connection(s, line.toString(UTF_8));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /**
   * Writes (or rewrites) build {@code uuid}'s request node in the unzoned queue with state {@code state}
   * and its worker at {@code port}; waits until the web node's copy has it.
   */
  static String buildNode(WebCluster cluster, String uuid, String state, int port) throws Exception {
    String path = "/zuul/executor/unzoned/requests/" + uuid;
    String json = "{\"uuid\": \"" + uuid + "\", \"state\": \"" + state + "\", \"tenant_name\": \""
        + WebCluster.TENANT + "\", \"worker_info\": {\"hostname\": \"127.0.0.1\", \"log_port\": " + port + "}}";
    if (cluster.exists(path)) {
      cluster.zkClient().setData().forPath(path, json.getBytes(UTF_8));
      org.fingerpost.testing.Await.until("the web node sees build " + uuid + " " + state + " at " + port,
          () -> cluster.services.builds().find(uuid)
              .filter(b -> state.equals(b.state()) && b.workerInfo().logPort() == port).isPresent());
    } else {
      cluster.writeBuildNode(path, json);
    }
    return path;
  }

  /** One accepted connection and its request line (without the newline). */
  record Connection(Socket socket, String request) {
    void send(String text) throws IOException {
      socket.getOutputStream().write(text.getBytes(UTF_8));
      socket.getOutputStream().flush();
    }

    /** What the kernel does for a killed process with nothing unread: a clean close. */
    void close() throws IOException {
      socket.close();
    }
  }
}
