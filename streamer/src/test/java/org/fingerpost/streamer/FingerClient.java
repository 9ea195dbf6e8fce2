package org.fingerpost.streamer;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** A plain blocking finger client for tests: one socket, written and read from the test thread. */
final class FingerClient implements AutoCloseable {
  /** Read timeout: a test that waits longer for a byte has failed. */
  static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

  private final Socket socket;
  private final InputStream in;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  FingerClient(int port, String requestLine) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), (int) READ_TIMEOUT.toMillis());
    socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
    socket.getOutputStream().write(requestLine.getBytes(UTF_8));
    socket.getOutputStream().flush();
    in = socket.getInputStream();
  }

  /** Sends {@code request} and returns everything the server sends until it closes. */
  static byte[] fetch(int port, String requestLine) throws IOException {
    try (FingerClient c = new FingerClient(port, requestLine)) {
      return c.readToEnd();
    }
  }

  /** Reads until at least {@code n} bytes were received in total; fails at end of stream. */
  byte[] readAtLeast(int n) throws IOException {
    byte[] buf = new byte[64 * 1024];
    while (received.size() < n) {
      int r = in.read(buf);
      if (r < 0) {
        throw new IOException("end of stream after " + received.size() + " bytes, expected " + n);
      }
      received.write(buf, 0, r);
    }
    return received.toByteArray();
  }

  /** Reads until the server closes; returns everything received on this connection. */
  byte[] readToEnd() throws IOException {
    byte[] buf = new byte[64 * 1024];
    int r;
    while ((r = in.read(buf)) >= 0) {
      received.write(buf, 0, r);
    }
    return received.toByteArray();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
