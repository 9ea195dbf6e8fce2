package org.fingerpost.webapp;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A websocket client on a plain socket that writes and reads frames byte by byte, for what a real
 * client library will not send: invalid UTF-8, a character split across frames, binary frames.
 * Its frames are masked with a zero key (allowed: the server only unmasks). Not thread-safe.
 */
final class RawWebSocket implements AutoCloseable {
  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;
  /** Longest wait for a frame, milliseconds. */
  static final int READ_TIMEOUT_MS = 10_000;

  record Frame(int opcode, boolean fin, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame. */
    int closeCode() {
      return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  /** Connects and upgrades {@code path}; throws unless the server answers 101. */
  RawWebSocket(int port, String path) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    String head = readHead(in);
    if (!head.startsWith("HTTP/1.1 101")) {
      throw new IOException("not upgraded: " + head);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in the response head: " + head);
      }
      head.write(b);
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Writes one frame of less than 64 KiB (this client has no 64-bit lengths). */
  void send(int opcode, boolean fin, byte[] payload) throws IOException {
    if (payload.length > 0xFFFF) {
      throw new IllegalArgumentException("payload too large for this client: " + payload.length);
    }
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xFF);
    }
    frame.write(new byte[4]); // the zero mask key
    frame.write(payload);
    out.write(frame.toByteArray());
    out.flush();
  }

  /** Reads the next frame. */
  Frame read() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long length = b1 & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[Math.toIntExact(length)];
    in.readFully(payload);
    return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, payload);
  }

  /** Reads frames until one of {@code opcode}, skipping pings and others. */
  Frame readUntil(int opcode) throws IOException {
    Frame frame;
    do {
      frame = read();
    } while (frame.opcode() != opcode && frame.opcode() != CLOSE);
    return frame;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
