package org.fingerpost.bench;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A lean HTTP/1.1 client for load generation: one keep-alive connection, one blocking request at a
 * time, the request head and body written in one call, the answer's status read and its body
 * skipped. It costs the load generator a write and a read per request, where the JDK's {@code
 * HttpClient} cost about 200 µs of CPU per request on the benchmark machine's 2 cores, which the
 * server under test shares: a sender on another host (GitHub's) costs the server nothing. Not
 * thread-safe: one per sender thread.
 */
final class RawHttpPoster implements Closeable {
  /** Bytes kept for an answer's head. */
  static final int HEAD_BUFFER_BYTES = 8192;

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;
  private final byte[] answer = new byte[HEAD_BUFFER_BYTES];
  private byte[] request = new byte[0];

  RawHttpPoster(int port) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  /** Sends {@code head} (ending in an empty line) and {@code body}; returns the answer's status code. */
  int post(String head, byte[] body) throws IOException {
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    int length = h.length + body.length;
    if (request.length < length) {
      request = new byte[length];
    }
    System.arraycopy(h, 0, request, 0, h.length);
    System.arraycopy(body, 0, request, h.length, body.length);
    out.write(request, 0, length);
    return readAnswer();
  }

  private int readAnswer() throws IOException {
    int filled = 0;
    int headEnd;
    while ((headEnd = headEnd(filled)) < 0) {
      if (filled == answer.length) {
        throw new IOException("answer head longer than " + answer.length + " bytes");
      }
      int n = in.read(answer, filled, answer.length - filled);
      if (n < 0) {
        throw new EOFException("connection closed before the answer's head");
      }
      filled += n;
    }
    String head = new String(answer, 0, headEnd, StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(head.substring(9, 12));
    long bodyLeft = contentLength(head) - (filled - headEnd - 4);
    while (bodyLeft > 0) {
      long n = in.skip(bodyLeft);
      if (n <= 0) {
        if (in.read() < 0) {
          throw new EOFException("connection closed in the answer's body");
        }
        n = 1;
      }
      bodyLeft -= n;
    }
    return status;
  }

  private int headEnd(int filled) {
    for (int i = 3; i < filled; i++) {
      if (answer[i] == '\n' && answer[i - 1] == '\r' && answer[i - 2] == '\n' && answer[i - 3] == '\r') {
        return i - 3;
      }
    }
    return -1;
  }

  /** The value of a response head's {@code Content-Length}. */
  static long contentLength(String head) throws IOException {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
        return Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    throw new IOException("answer without Content-Length: " + head);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
