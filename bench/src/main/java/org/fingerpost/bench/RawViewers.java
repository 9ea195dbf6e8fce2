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
  private final Selector selector;
  private final Thread loop;
  private final Queue<Viewer> joining = new ConcurrentLinkedQueue<>();
  /**
   * A viewer's input buffer, in bytes: grown for a frame that does not fit, and back to this size once
   * the frames in it are read, so that 1,000 viewers of a large block do not keep 1,000 large buffers
   * (256 MiB in the web node's JVM when both share one, as in {@link WebLatency}).
   */
  static final int INPUT_BYTES = 64 * 1024;
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
    final SocketChannel channel;
    final byte[] firstMessage;
    ByteBuffer in = ByteBuffer.allocate(INPUT_BYTES);
    boolean upgraded;
    final byte[] line = new byte[256];
    int lineLength;
    boolean lineTooLong;
    /** Set when the server accepted permessage-deflate: one context for the whole connection. */
    Inflater inflater;
    /** Whether the message being received is compressed (RSV1 on its first frame). */
    boolean compressed;
    final ByteArrayOutputStream message = new ByteArrayOutputStream();

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
    WsFrames.writeFully(channel, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
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
      return WsFrames.frames(v, now);
    } finally {
      v.in.compact();
      if (v.in.position() == 0 && v.in.capacity() > INPUT_BYTES) {
        v.in = ByteBuffer.allocate(INPUT_BYTES);
      }
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
        WsFrames.send(v, WsFrames.OP_TEXT, v.firstMessage);
        return true;
      }
    }
    return false;
  }
}
