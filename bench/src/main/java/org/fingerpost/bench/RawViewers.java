package org.fingerpost.bench;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Console-stream websocket viewers for the benchmarks, all on one selector thread: a minimal RFC 6455
 * client (upgrade handshake, optional permessage-deflate, one masked text message, unmasked server
 * frames, pong on ping). It
 * records when each timestamped line ({@code seq <n> t <nanoTime>}) arrives.
 *
 * <p>Why not a full client: the load generator shares the machine's two cores with the web node it
 * measures. A thread-pooled client (Jetty's) dispatches every frame of every viewer to a pool thread,
 * and that cost lands in the measured latency; one thread reading 1,000 sockets is what a thousand
 * browsers on other machines look like to the web node.
 */
final class RawViewers implements Closeable {
  /** Largest frame accepted, in bytes; the web node sends at most 16 Ki chars per message. */
  private static final int MAX_FRAME_BYTES = 1024 * 1024;
  private static final int OP_CONTINUATION = 0;
  private static final int OP_TEXT = 1;
  private static final int OP_CLOSE = 8;
  private static final int OP_PING = 9;
  private static final int OP_PONG = 10;

  private final Selector selector;
  private final Thread loop;
  private final Queue<Viewer> joining = new ConcurrentLinkedQueue<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
  private final boolean deflate;
  private volatile boolean closed;
  private volatile Throwable failure;

  /**
   * @param deflate ask for {@code permessage-deflate} (RFC 7692), as browsers do, and inflate what the
   *     server compresses
   */
  RawViewers(boolean deflate) throws IOException {
    this.deflate = deflate;
    selector = Selector.open();
    loop = new Thread(this::run, "raw-viewers");
    loop.setDaemon(true);
    loop.start();
  }

  /** One viewer: latencies of the first {@code lines} timestamped lines, bytes and arrival times. */
  static final class Viewer {
    final long[] latencies;
    final AtomicLong count = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    volatile long lastAt;
    volatile boolean ended;
    /** Why the connection ended, when it did. */
    volatile String why = "";
    private final SocketChannel channel;
    private final byte[] firstMessage;
    private ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private boolean upgraded;
    private final byte[] line = new byte[256];
    private int lineLength;
    private boolean lineTooLong;
    /** Set when the server accepted permessage-deflate: one context for the whole connection. */
    private Inflater inflater;
    /** Whether the message being received is compressed (RSV1 on its first frame). */
    private boolean compressed;
    private final ByteArrayOutputStream message = new ByteArrayOutputStream();

    private Viewer(SocketChannel channel, byte[] firstMessage, int lines) {
      this.channel = channel;
      this.firstMessage = firstMessage;
      this.latencies = new long[lines];
    }

    void close() {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  /** Connects one viewer to {@code path} on the web node and asks for {@code uuid}'s log. */
  Viewer open(int port, String path, String uuid, int lines) throws IOException {
    SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    channel.socket().setTcpNoDelay(true);
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key)
        + "\r\nSec-WebSocket-Version: 13\r\n"
        + (deflate ? "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" : "") + "\r\n";
    writeFully(channel, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
    channel.configureBlocking(false);
    byte[] json = ("{\"uuid\": \"" + uuid + "\", \"logfile\": \"console.log\"}").getBytes(StandardCharsets.UTF_8);
    Viewer v = new Viewer(channel, json, lines);
    joining.add(v);
    selector.wakeup();
    return v;
  }

  /** The selector thread's failure, if it stopped on one. */
  Throwable failure() {
    return failure;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    selector.wakeup();
    try {
      loop.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SelectionKey k : selector.keys()) {
      ((Viewer) k.attachment()).close();
    }
    selector.close();
  }

  private void run() {
    try {
      while (!closed) {
        Viewer v;
        while ((v = joining.poll()) != null) {
          v.channel.register(selector, SelectionKey.OP_READ, v);
        }
        selector.select(100);
        long now = System.nanoTime();
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          Viewer viewer = (Viewer) key.attachment();
          try {
            if (!read(viewer, now)) {
              key.cancel();
              if (viewer.why.isEmpty()) {
                viewer.why = "connection closed by the server";
              }
              viewer.ended = true;
              viewer.close();
            }
          } catch (IOException | RuntimeException e) {
            key.cancel();
            viewer.why = String.valueOf(e);
            viewer.ended = true;
            viewer.close();
          }
        }
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  /** @return false once the connection ended */
  private boolean read(Viewer v, long now) throws IOException {
    readBuffer.clear();
    int n = v.channel.read(readBuffer);
    if (n < 0) {
      return false;
    }
    readBuffer.flip();
    if (v.in.remaining() < n) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(v.in.capacity() * 2, v.in.position() + n));
      v.in.flip();
      bigger.put(v.in);
      v.in = bigger;
    }
    v.in.put(readBuffer);
    v.in.flip();
    try {
      if (!v.upgraded && !handshake(v)) {
        return true;
      }
      return frames(v, now);
    } finally {
      v.in.compact();
    }
  }

  private boolean handshake(Viewer v) throws IOException {
    ByteBuffer in = v.in;
    for (int i = in.position(); i + 3 < in.limit(); i++) {
      if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
        byte[] head = new byte[i - in.position()];
        in.get(head);
        in.position(i + 4);
        String status = new String(head, StandardCharsets.ISO_8859_1);
        if (!status.startsWith("HTTP/1.1 101")) {
          throw new IOException("upgrade refused: " + status.lines().findFirst().orElse(""));
        }
        v.upgraded = true;
        if (status.toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-extensions: permessage-deflate")) {
          v.inflater = new Inflater(true);
        }
        send(v, OP_TEXT, v.firstMessage);
        return true;
      }
    }
    return false;
  }

  /** Consumes every complete frame in {@code v.in}; @return false on a close frame */
  private boolean frames(Viewer v, long now) throws IOException {
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
  private static void send(Viewer v, int opcode, byte[] payload) throws IOException {
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

  private static void writeFully(SocketChannel channel, ByteBuffer data) throws IOException {
    // Frames are tiny and the socket buffer empty: a non-blocking write takes them at once.
    for (int spins = 0; data.hasRemaining(); spins++) {
      if (channel.write(data) == 0 && spins > 1000) {
        throw new IOException("socket buffer full while sending a control frame");
      }
    }
  }
}
