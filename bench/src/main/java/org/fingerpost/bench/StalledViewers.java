package org.fingerpost.bench;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Console-stream websockets that ask for a build's log and then never read (issue 15, finding 3: what
 * do they cost the web node?). Each is a blocking socket with a small receive buffer, so that the
 * kernel soon stops taking bytes and the web node has to hold them; only the upgrade response is
 * read. Not thread-safe; the caller's thread does all the work.
 */
final class StalledViewers implements Closeable {
  /** Receive buffer of each socket: small, so that the web node, not the kernel, holds the log. */
  static final int RECEIVE_BUFFER_BYTES = 8 * 1024;

  private final List<SocketChannel> sockets = new ArrayList<>();

  /** Opens one websocket to {@code path} and asks for {@code uuid}'s log; returns after the upgrade. */
  void open(int port, String path, String uuid) throws IOException {
    SocketChannel channel = SocketChannel.open();
    channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
    channel.connect(new InetSocketAddress("127.0.0.1", port));
    sockets.add(channel);
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    write(channel, request.getBytes(StandardCharsets.US_ASCII));
    readResponseHead(channel);
    write(channel, maskedText(("{\"uuid\": \"" + uuid + "\", \"logfile\": \"console.log\"}")
        .getBytes(StandardCharsets.UTF_8)));
  }

  int size() {
    return sockets.size();
  }

  /** Reads byte by byte up to the blank line, so that no log byte is read with it. */
  private static void readResponseHead(SocketChannel channel) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    StringBuilder head = new StringBuilder();
    while (matched < end.length) {
      one.clear();
      if (channel.read(one) < 0) {
        throw new IOException("connection closed during the upgrade: " + head);
      }
      byte b = one.get(0);
      head.append((char) b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head);
    }
  }

  /** One client text frame (clients must mask), payload under 126 bytes. */
  private static byte[] maskedText(byte[] payload) {
    byte[] frame = new byte[6 + payload.length];
    frame[0] = (byte) 0x81;
    frame[1] = (byte) (0x80 | payload.length);
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < payload.length; i++) {
      frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    return frame;
  }

  private static void write(SocketChannel channel, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      channel.write(b);
    }
  }

  @Override
  public void close() {
    for (SocketChannel s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    sockets.clear();
  }
}
