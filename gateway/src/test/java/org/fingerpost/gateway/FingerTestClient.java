package org.fingerpost.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A blocking finger client for tests: sends a request line, reads what comes back. */
final class FingerTestClient implements AutoCloseable {
  /** Longest a test waits for bytes before failing instead of hanging. */
  static final int READ_TIMEOUT_MS = 20_000;

  private final Socket socket;
  private final InputStream in;

  private FingerTestClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** Connects and sends {@code line} exactly as given (include the newline). */
  static FingerTestClient send(int port, String line) throws IOException {
    return send(port, line.getBytes(StandardCharsets.UTF_8));
  }

  static FingerTestClient send(int port, byte[] line) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    socket.getOutputStream().write(line);
    socket.getOutputStream().flush();
    return new FingerTestClient(socket);
  }

  /** The whole response of a request that the server ends (an error message, or a finished log). */
  static String requestText(int port, String line) throws IOException {
    try (FingerTestClient c = send(port, line)) {
      return new String(c.readToEnd(), StandardCharsets.UTF_8);
    }
  }

  /** Reads exactly {@code n} bytes; fails if the stream ends first. */
  byte[] readExactly(int n) throws IOException {
    byte[] out = new byte[n];
    int off = 0;
    while (off < n) {
      int r = in.read(out, off, n - off);
      if (r < 0) {
        throw new IOException("stream ended after " + off + " of " + n + " bytes: "
            + new String(out, 0, Math.min(off, 200), StandardCharsets.UTF_8));
      }
      off += r;
    }
    return out;
  }

  /** Reads until the server closes. */
  byte[] readToEnd() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  /** Whether the server closed the connection with no further byte. */
  boolean atEnd() throws IOException {
    return in.read() == -1;
  }

  InputStream input() {
    return in;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
