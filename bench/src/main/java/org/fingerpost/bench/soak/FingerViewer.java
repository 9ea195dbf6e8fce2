package org.fingerpost.bench.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A finger client that resumes: it reads one build through the client zone's gateways (taking the
 * next gateway after each failure) and, whenever a connection ends before the soak does, reconnects
 * and asks for the log from the offset it has ({@code <uuid>@<offset>}, the gateways' {@code offset}
 * extension) or, with {@code soak.fingerResume=skip}, asks from byte 0 and skips what it has.
 *
 * <p>Threads: one platform thread of its own, blocking I/O (as the {@code finger} command).
 */
final class FingerViewer extends Viewer {
  /** Socket receive buffer: small, so that a slow reader is slow at the server and not in our kernel. */
  private static final int RECEIVE_BUFFER_BYTES = 64 * 1024;
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int READ_BYTES = 8192;

  private final List<InetSocketAddress> gateways;
  private final boolean offsetRequests;
  private volatile Socket socket;
  private int attempts;

  FingerViewer(int id, BuildLog log, Events events, List<InetSocketAddress> gateways, boolean offsetRequests) {
    super(id, log, events);
    this.gateways = gateways;
    this.offsetRequests = offsetRequests;
  }

  @Override
  void start() {
    Thread t = new Thread(null, this::run, "finger-" + id, 256 * 1024);
    t.setDaemon(true);
    t.start();
  }

  @Override
  void stop() {
    stopped = true;
    Socket s = socket;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing to end a blocked read: nothing to do
      }
    }
  }

  private void run() {
    while (!stopped) {
      InetSocketAddress gateway = gateways.get((id + attempts++) % gateways.size());
      try {
        connectOnce(gateway);
      } catch (SocketTimeoutException e) {
        check.endOfFingerConnection();
        events.add("stalled " + Viewer.STALL_MILLIS / 1000 + " s, reconnected");
      } catch (IOException e) {
        check.endOfFingerConnection();
        if (!stopped) {
          events.add("connection failed: " + e.getClass().getSimpleName());
        }
      }
      if (!stopped) {
        events.add("reconnects");
        pause(nextRetryMillis());
      }
    }
  }

  private void connectOnce(InetSocketAddress gateway) throws IOException {
    try (Socket s = new Socket()) {
      socket = s;
      if (stopped) {
        return;
      }
      s.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
      s.setSoTimeout((int) Viewer.STALL_MILLIS);
      // Clients come from many addresses, as users do: limits per client address apply per user.
      byte[] source = {127, 0, (byte) (id / 250), (byte) (2 + id % 250)};
      s.bind(new InetSocketAddress(InetAddress.getByAddress(source), 0));
      s.connect(gateway, CONNECT_TIMEOUT_MILLIS);
      check.connected();
      long from = check.position();
      String request = offsetRequests && from > 0 ? check.log().uuid + "@" + from : check.log().uuid;
      OutputStream out = s.getOutputStream();
      out.write((request + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      read(s.getInputStream(), offsetRequests ? 0 : from);
      String error = check.endOfFingerConnection();
      if (!stopped) {
        events.add(describe(error));
      }
    }
  }

  /** The event of a connection's end: its failure message, none, or corrupted text. */
  private static String describe(String error) {
    if (error == null) {
      return "ended in corrupted text";
    }
    if (error.isEmpty()) {
      return "closed without error text before the log's end";
    }
    return "error text: " + (error.length() > 60 ? error.substring(0, 60) + "..." : error);
  }

  private void read(InputStream in, long skip) throws IOException {
    byte[] buf = new byte[READ_BYTES];
    long toSkip = skip;
    while (true) {
      boolean slowNow = slow;
      int n;
      try {
        n = in.read(buf, 0, slowNow ? 1024 : buf.length);
      } catch (SocketTimeoutException e) {
        if (check.position() >= check.log().size()) {
          continue; // quiet because the build is: not a stall
        }
        throw e;
      }
      if (n < 0) {
        return;
      }
      int from = (int) Math.min(n, toSkip);
      toSkip -= from;
      if (from < n) {
        check.accept(new String(buf, from, n - from, StandardCharsets.ISO_8859_1));
      }
      if (slowNow) {
        // Pacing, not synchronisation: a slow link delivers this many bytes per second.
        pause(TimeUnit.SECONDS.toMillis(n) / SLOW_BYTES_PER_SECOND);
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
