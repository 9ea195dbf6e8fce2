package org.fingerpost.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that delays every byte by a fixed one-way latency in each direction
 * (order kept, no bandwidth limit): a stand-in for the network and disk between a daemon and a
 * ZooKeeper ensemble that is not on the same host, so that round trips cost what they cost there.
 * Two threads per direction per connection (reader, delayed writer); daemon threads; for benchmarks
 * only. Closing stops accepting; open connections end with their peers.
 */
final class LatencyProxy implements AutoCloseable {
  private final ServerSocket server;
  private final String targetHost;
  private final int targetPort;
  private final long delayNanos;

  /** Forwards connections to {@code target} ({@code host:port}) with {@code oneWay} delay. */
  LatencyProxy(String target, Duration oneWay) throws IOException {
    int colon = target.lastIndexOf(':');
    this.targetHost = target.substring(0, colon);
    this.targetPort = Integer.parseInt(target.substring(colon + 1));
    this.delayNanos = oneWay.toNanos();
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon(this::accept, "latency-proxy-accept");
  }

  /** The connect string of the proxy. */
  String connectString() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(targetHost, targetPort);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        pipe(client, upstream);
        pipe(upstream, client);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private record Chunk(long due, byte[] bytes) {}

  private void pipe(Socket from, Socket to) {
    BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    daemon(() -> {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = from.getInputStream()) {
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
          queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buf, n)));
        }
      } catch (IOException e) {
        // peer gone
      }
      queue.add(new Chunk(0, null));
    }, "latency-proxy-read");
    daemon(() -> {
      try (OutputStream out = to.getOutputStream()) {
        for (Chunk c = queue.take(); c.bytes() != null; c = queue.take()) {
          for (long wait = c.due() - System.nanoTime(); wait > 0; wait = c.due() - System.nanoTime()) {
            LockSupport.parkNanos(wait); // the simulated latency itself, not a synchronisation
          }
          out.write(c.bytes());
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // peer gone
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "latency-proxy-write");
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  private static void daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
