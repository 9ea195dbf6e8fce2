package org.fingerpost.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import org.fingerpost.bench.RawViewers.Viewer;

/**
 * The RFC 6455 frames of {@link RawViewers}' minimal client: server frames decoded from a viewer's
 * input (text, optionally permessage-deflate, ping, close), its timestamped lines recorded, and masked
 * client frames sent. Runs on the viewers' one selector thread, which owns each {@link
 * RawViewers.Viewer}'s state.
 */
final class WsFrames {
  /** Largest frame accepted, in bytes; the web node sends at most 16 Ki chars per message. */
  private static final int MAX_FRAME_BYTES = 1024 * 1024;
  private static final int OP_CONTINUATION = 0;
  static final int OP_TEXT = 1;
  private static final int OP_CLOSE = 8;
  private static final int OP_PING = 9;
  private static final int OP_PONG = 10;

  private WsFrames() {}

  /** Consumes every complete frame in {@code v.in}; @return false on a close frame */
  static boolean frames(Viewer v, long now) throws IOException {
    ByteBuffer in = v.in;
    while (in.remaining() >= 2) {
      int start = in.position();
      int b0 = in.get(start) & 0xff;
      int b1 = in.get(start + 1) & 0xff;
      long length = b1 & 0x7f;
      int header = 2;
      if (length == 126) {
        if (in.remaining() < 4) {
          return true;
        }
        length = in.getShort(start + 2) & 0xffff;
        header = 4;
      } else if (length == 127) {
        if (in.remaining() < 10) {
          return true;
        }
        length = in.getLong(start + 2);
        header = 10;
      }
      if ((b1 & 0x80) != 0 || length > MAX_FRAME_BYTES) {
        throw new IOException("unexpected frame from the server: masked or " + length + " bytes");
      }
      if (in.remaining() < header + length) {
        return true;
      }
      int payload = start + header;
      int end = payload + (int) length;
      int opcode = b0 & 0x0f;
      if (opcode == OP_TEXT || opcode == OP_CONTINUATION) {
        if (opcode == OP_TEXT) {
          v.compressed = (b0 & 0x40) != 0;
        }
        if (v.compressed) {
          inflate(v, in, payload, end, (b0 & 0x80) != 0, now);
        } else {
          for (int i = payload; i < end; i++) {
            text(v, in.get(i), now);
          }
          v.bytes.addAndGet(length);
        }
        v.lastAt = now;
      } else if (opcode == OP_PING) {
        byte[] data = new byte[(int) length];
        in.get(payload, data);
        send(v, OP_PONG, data);
      } else if (opcode == OP_CLOSE) {
        byte[] data = new byte[(int) length];
        in.get(payload, data);
        v.why = length < 2 ? "close frame without a code"
            : "close " + (((data[0] & 0xff) << 8) | (data[1] & 0xff)) + " "
                + new String(data, 2, data.length - 2, StandardCharsets.UTF_8);
        return false;
      }
      in.position(end);
    }
    return true;
  }

  /** Collects a compressed message; at its last frame inflates it (RFC 7692 7.2.2) and reads its text. */
  private static void inflate(Viewer v, ByteBuffer in, int from, int to, boolean last, long now) throws IOException {
    for (int i = from; i < to; i++) {
      v.message.write(in.get(i));
    }
    if (!last) {
      return;
    }
    v.message.write(new byte[] {0, 0, (byte) 0xff, (byte) 0xff}, 0, 4);
    v.inflater.setInput(v.message.toByteArray());
    v.message.reset();
    byte[] out = new byte[16 * 1024];
    try {
      while (true) {
        int n = v.inflater.inflate(out);
        for (int i = 0; i < n; i++) {
          text(v, out[i], now);
        }
        v.bytes.addAndGet(n);
        if (n == 0 && (v.inflater.needsInput() || v.inflater.finished())) {
          return;
        }
        if (n == 0 && v.inflater.needsDictionary()) {
          throw new IOException("inflate wants a dictionary");
        }
      }
    } catch (DataFormatException e) {
      throw new IOException("bad compressed message", e);
    }
  }

  /** Collects a line; a complete {@code seq <n> t <nanos>} line records its latency. */
  private static void text(Viewer v, byte b, long now) {
    if (b != '\n') {
      if (v.lineLength < v.line.length) {
        v.line[v.lineLength++] = b;
      } else {
        v.lineTooLong = true;
      }
      return;
    }
    if (!v.lineTooLong && v.lineLength > 4 && v.line[0] == 's' && v.line[1] == 'e' && v.line[2] == 'q'
        && v.line[3] == ' ') {
      String[] f = new String(v.line, 0, v.lineLength, StandardCharsets.US_ASCII).split(" ");
      int seq = Integer.parseInt(f[1]);
      if (seq < v.latencies.length) {
        v.latencies[seq] = now - Long.parseLong(f[3]);
        v.count.incrementAndGet();
      }
    }
    v.lineLength = 0;
    v.lineTooLong = false;
  }

  /** Sends one masked frame (clients always mask, RFC 6455 5.3). */
  static void send(Viewer v, int opcode, byte[] payload) throws IOException {
    if (payload.length > 0xffff) {
      throw new IllegalArgumentException("frame too large for this client: " + payload.length);
    }
    ByteBuffer frame = ByteBuffer.allocate(8 + payload.length);
    frame.put((byte) (0x80 | opcode));
    if (payload.length < 126) {
      frame.put((byte) (0x80 | payload.length));
    } else {
      frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.put(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.put((byte) (payload[i] ^ mask[i & 3]));
    }
    frame.flip();
    writeFully(v.channel, frame);
  }

  static void writeFully(SocketChannel channel, ByteBuffer data) throws IOException {
    // Frames are tiny and the socket buffer empty: a non-blocking write takes them at once.
    for (int spins = 0; data.hasRemaining(); spins++) {
      if (channel.write(data) == 0 && spins > 1000) {
        throw new IOException("socket buffer full while sending a control frame");
      }
    }
  }
}
