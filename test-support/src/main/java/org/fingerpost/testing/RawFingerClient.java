package org.fingerpost.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A raw blocking finger client for tests: one plain socket to {@code 127.0.0.1:port}, written and read
 * from the test thread (a test may block; the code under test may not). Every read has a timeout of
 * {@link #READ_TIMEOUT_MS}, so a test that waits longer for a byte fails instead of hanging.
 *
 * <p>Every byte read is kept: {@link #readAtLeast} and {@link #readToEnd} return everything received
 * on this connection, {@link #readExactly} only the bytes it read. Not thread-safe: one test thread.
 */
public final class RawFingerClient implements AutoCloseable {
  /** Connect and read timeout, in milliseconds. */
  public static final int READ_TIMEOUT_MS = 20_000;
  private static final int READ_CHUNK_BYTES = 64 * 1024;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  private RawFingerClient(Socket socket, int port) throws IOException {
    this.socket = socket;
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** Connects without sending anything yet. */
  public static RawFingerClient connect(int port) throws IOException {
    return new RawFingerClient(new Socket(), port);
  }

  /** Connects with a small receive buffer, to make a slow reader slow quickly. */
  public static RawFingerClient withReceiveBuffer(int port, int bytes) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(bytes);
    return new RawFingerClient(s, port);
  }

  /** Connects and sends {@code line} exactly as given (include the newline). */
  public static RawFingerClient request(int port, String line) throws IOException {
    return connect(port).send(line);
  }

  /** Connects and sends these bytes exactly as given. */
  public static RawFingerClient request(int port, byte[] line) throws IOException {
    return connect(port).send(line);
  }

  /** The whole response to {@code line}, until the server closes (an error message, or a finished log). */
  public static byte[] fetch(int port, String line) throws IOException {
    try (RawFingerClient c = request(port, line)) {
      return c.readToEnd();
    }
  }

  /** {@link #fetch} as UTF-8 text. */
  public static String fetchText(int port, String line) throws IOException {
    return new String(fetch(port, line), UTF_8);
  }

  public RawFingerClient send(String text) throws IOException {
    return send(text.getBytes(UTF_8));
  }

  public RawFingerClient send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Reads exactly {@code n} more bytes and returns them; fails if the stream ends first. */
  public byte[] readExactly(int n) throws IOException {
    byte[] got = new byte[n];
    int off = 0;
    while (off < n) {
      int r = in.read(got, off, n - off);
      if (r < 0) {
        throw new IOException("stream ended after " + off + " of " + n + " bytes: "
            + new String(got, 0, Math.min(off, 200), UTF_8));
      }
      off += r;
    }
    received.write(got, 0, n);
    return got;
  }

  /** Reads until at least {@code n} bytes were received in all; returns them all. Fails at end of stream. */
  public byte[] readAtLeast(int n) throws IOException {
    byte[] buf = new byte[READ_CHUNK_BYTES];
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
  public byte[] readToEnd() throws IOException {
    in.transferTo(received);
    return received.toByteArray();
  }

  /** {@link #readToEnd} as UTF-8 text. */
  public String readToEndText() throws IOException {
    return new String(readToEnd(), UTF_8);
  }

  /** Whether the server closed the connection with no further byte. */
  public boolean atEnd() throws IOException {
    return in.read() == -1;
  }

  public InputStream input() {
    return in;
  }

  public Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
