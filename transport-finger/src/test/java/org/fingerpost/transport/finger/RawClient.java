package org.fingerpost.transport.finger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A blocking socket client for tests (a test thread may block; the code under test may not). */
final class RawClient implements AutoCloseable {
  static final int READ_TIMEOUT_MS = 10_000;

  final Socket socket;
  final InputStream in;
  final OutputStream out;

  RawClient(int port) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** A client with a small receive buffer, to make a slow reader slow quickly. */
  static RawClient withReceiveBuffer(int port, int bytes) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(bytes);
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
    return new RawClient(s);
  }

  private RawClient(Socket s) throws IOException {
    socket = s;
    socket.setSoTimeout(READ_TIMEOUT_MS);
    in = s.getInputStream();
    out = s.getOutputStream();
  }

  RawClient send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.UTF_8));
  }

  RawClient send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Everything until the server closes. */
  byte[] readAll() throws IOException {
    return in.readAllBytes();
  }

  String readAllText() throws IOException {
    return new String(readAll(), StandardCharsets.UTF_8);
  }

  byte[] readExactly(int n) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(n);
    byte[] b = new byte[Math.min(n, 65536)];
    while (buf.size() < n) {
      int r = in.read(b, 0, Math.min(b.length, n - buf.size()));
      if (r < 0) {
        throw new IOException("EOF after " + buf.size() + " of " + n + " bytes");
      }
      buf.write(b, 0, r);
    }
    return buf.toByteArray();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
