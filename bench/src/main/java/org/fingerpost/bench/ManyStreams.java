package org.fingerpost.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fingerpost.testing.Await;

/**
 * Many concurrent live streams through one gateway running in its own JVM ({@link BenchNode}), fed by
 * several streamer JVMs that serve {@code builds} growing logs. The clients are one non-blocking
 * selector thread here, so they cost no thread per stream. Each stream reads its build's whole log
 * (the first half exists when it connects, the second half is appended once every stream is open) and
 * checks every byte against the expected content.
 *
 * <p>Measured on the gateway process, from {@code /proc/<pid>}: RSS (VmRSS) and threads with every
 * stream open, CPU time (user + system) over the whole run, heap used (asked of the process), and the
 * number of established gateway -> streamer connections (upstreams) from {@code /proc/net/tcp}.
 *
 * <p>File descriptors: each process may hold at most its RLIMIT_NOFILE. Streams are opened in batches
 * and the next batch is only opened if the gateway's measured descriptors per stream say it fits; the
 * result says how many streams were reached and why it stopped.
 *
 * <p>Usage: {@code ManyStreams streams builds bytesPerStream streamerProcesses workDir resultFile}.
 * The result file holds {@code key=value} lines read by {@link SuiteReport}.
 */
public final class ManyStreams {
  /** Connections opened before the gateway's descriptors are measured again. */
  static final int BATCH = 500;
  /** Descriptors kept free in the gateway process for jars, epoll, ZooKeeper and the like. */
  static final int FD_RESERVE = 300;
  /** Streamer read size (bytes): small, since the logs are small and there are many streams. */
  static final int STREAMER_CHUNK_BYTES = 8 * 1024;
  static final Duration PHASE_TIMEOUT = Duration.ofMinutes(5);

  private ManyStreams() {}

  /** One client stream: which build it reads and how far it got. */
  private static final class Conn {
    final int build;
    final SocketChannel channel;
    int received;
    boolean sent;
    boolean done;
    boolean bad;

    Conn(int build, SocketChannel channel) {
      this.build = build;
      this.channel = channel;
    }
  }

  public static void main(String[] args) throws Exception {
    int wanted = Integer.parseInt(args[0]);
    int builds = Integer.parseInt(args[1]);
    int bytes = Integer.parseInt(args[2]);
    int streamerProcs = Integer.parseInt(args[3]);
    Path work = Files.createDirectories(Path.of(args[4]).toAbsolutePath().resolve("many-" + ProcessHandle.current().pid()));
    Path result = Path.of(args[5]);
    Map<String, String> out = new LinkedHashMap<>();
    out.put("wanted", String.valueOf(wanted));
    out.put("builds", String.valueOf(builds));
    out.put("bytes_per_stream", String.valueOf(bytes));

    byte[][] content = new byte[builds][];
    String[] uuids = new String[builds];
    Path[] logs = new Path[builds];
    for (int b = 0; b < builds; b++) {
      uuids[b] = String.format("5ca1e000%024x", b);
      content[b] = content(b, bytes);
      logs[b] = work.resolve("jobs-" + (b % streamerProcs)).resolve(uuids[b]).resolve("work/logs/job-output.txt");
      Files.createDirectories(logs[b].getParent());
      Files.write(logs[b], java.util.Arrays.copyOf(content[b], bytes / 2));
    }

    List<Process> children = new ArrayList<>();
    try (LocalZooKeeper zk = LocalZooKeeper.start(work.resolve("zk"), 0)) {
      List<Integer> streamerPorts = new ArrayList<>();
      for (int s = 0; s < streamerProcs; s++) {
        Process p = BenchNodeChild.start("-Xmx512m", "streamer", zk.connectString(), work.resolve("jobs-" + s).toString(),
            String.valueOf(STREAMER_CHUNK_BYTES));
        children.add(p);
        streamerPorts.add(BenchNodeChild.port(p));
      }
      String gatewayJvm = System.getProperty("bench.gatewayJvm", "-Xmx1g -XX:NativeMemoryTracking=summary");
      Process gateway = BenchNodeChild.start(gatewayJvm, "gateway", zk.connectString());
      children.add(gateway);
      int gatewayPort = BenchNodeChild.port(gateway);
      long pid = gateway.pid();
      out.put("gateway_jvm", gatewayJvm);
      int fdLimit = ProcFs.fdLimit(pid);
      out.put("gateway_fd_limit", String.valueOf(fdLimit));
      awaitBuilds(gatewayPort, uuids);
      long cpuStart = ProcFs.cpuTicks(pid);
      int fdStart = ProcFs.fdCount(pid);
      // Baseline for the memory of an idle stream: the gateway with its builds known and no stream open.
      long heapBefore = BenchNodeChild.heapAfterGc(gateway);
      long rssBefore = ProcFs.status(pid, "VmRSS");

      List<Conn> conns = new ArrayList<>();
      String stopReason = "all streams opened";
      try (Selector selector = Selector.open()) {
        while (conns.size() < wanted) {
          int opened = conns.size();
          double perStream = opened == 0 ? 2.0 : Math.max(1.0, (ProcFs.fdCount(pid) - fdStart) / (double) opened);
          int room = (int) ((fdLimit - FD_RESERVE - ProcFs.fdCount(pid)) / perStream);
          int batch = Math.min(Math.min(BATCH, wanted - opened), room);
          if (batch <= 0) {
            stopReason = String.format("gateway open-file limit %d reached at %.2f descriptors per stream", fdLimit,
                perStream);
            break;
          }
          for (int i = 0; i < batch; i++) {
            int b = (opened + i) % builds;
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
            ch.connect(new InetSocketAddress("127.0.0.1", gatewayPort));
            Conn c = new Conn(b, ch);
            ch.register(selector, SelectionKey.OP_CONNECT, c);
            conns.add(c);
          }
          int target = conns.size();
          pump(selector, uuids, content, () -> countAtLeast(conns, bytes / 2) >= target, "batch up to " + target);
        }
        out.put("reached", String.valueOf(conns.size()));
        out.put("stop_reason", stopReason);
        // Peak: every stream open and its first half delivered.
        out.put("rss_kib", String.valueOf(ProcFs.status(pid, "VmRSS")));
        out.put("threads", String.valueOf(ProcFs.status(pid, "Threads")));
        out.put("gateway_fds", String.valueOf(ProcFs.fdCount(pid)));
        out.put("upstreams", String.valueOf(ProcFs.established(streamerPorts)));
        out.put("heap_used_bytes", String.valueOf(BenchNodeChild.heapUsed(gateway)));
        // Every stream now has the first half of its log and waits for more: idle. What each one costs the
        // gateway (its client socket, its rider on the shared upstream, buffers) is the growth over the baseline.
        long heapIdle = BenchNodeChild.heapAfterGc(gateway);
        long rssIdle = ProcFs.status(pid, "VmRSS");
        out.put("idle_heap_kib_per_stream", String.format("%.1f", (heapIdle - heapBefore) / 1024.0 / conns.size()));
        out.put("idle_rss_kib_per_stream", String.format("%.1f", (rssIdle - rssBefore) / (double) conns.size()));
        String nmt = BenchNodeChild.ask(gateway, "NMT");
        Files.writeString(result.resolveSibling(result.getFileName() + ".nmt.txt"), nmt.replace('\t', '\n'));
        out.put("nmt_committed_mb", BenchNodeChild.nmtTop(nmt));

        // Grow every log to its full size while all streams are open.
        for (int b = 0; b < builds; b++) {
          try (OutputStream o = Files.newOutputStream(logs[b], StandardOpenOption.APPEND)) {
            o.write(content[b], bytes / 2, bytes - bytes / 2);
          }
        }
        String finish = "ok";
        try {
          pump(selector, uuids, content, () -> conns.stream().allMatch(c -> c.done || c.bad), "every byte");
        } catch (IllegalStateException e) {
          finish = e.getMessage();
        }
        out.put("finish", finish);
        out.put("cpu_seconds", String.format("%.2f", (ProcFs.cpuTicks(pid) - cpuStart) / ThreadCpu.TICKS_PER_SECOND));
        long complete = conns.stream().filter(c -> c.done).count();
        long lost = conns.stream().mapToLong(c -> c.done ? 0 : bytes - c.received).sum();
        out.put("complete", String.valueOf(complete));
        out.put("corrupt", String.valueOf(conns.stream().filter(c -> c.bad).count()));
        out.put("lost_bytes", String.valueOf(lost));
        out.put("rss_end_kib", String.valueOf(ProcFs.status(pid, "VmRSS")));
        for (Conn c : conns) {
          c.channel.close();
        }
      }
    } catch (Exception e) {
      out.put("error", e.toString());
      throw e;
    } finally {
      for (Process p : children) {
        p.getOutputStream().close();
        p.destroy();
      }
      StringBuilder text = new StringBuilder();
      out.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
      System.out.print(text);
      Files.createDirectories(result.toAbsolutePath().getParent());
      Files.writeString(result, text);
      deleteTree(work);
    }
  }

  /** Runs the selector until {@code condition} holds; bytes are checked against the expected logs. */
  private static void pump(Selector selector, String[] uuids, byte[][] content, java.util.function.BooleanSupplier condition,
      String what) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
    byte[] arr = new byte[64 * 1024];
    long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      selector.select(100);
      Iterator<SelectionKey> it = selector.selectedKeys().iterator();
      while (it.hasNext()) {
        SelectionKey key = it.next();
        it.remove();
        Conn c = (Conn) key.attachment();
        try {
          if (key.isConnectable()) {
            c.channel.finishConnect();
            c.channel.write(ByteBuffer.wrap((uuids[c.build] + "\n").getBytes(StandardCharsets.US_ASCII)));
            c.sent = true;
            key.interestOps(SelectionKey.OP_READ);
          } else if (key.isReadable()) {
            buf.clear();
            int n = c.channel.read(buf);
            if (n < 0) {
              c.bad = c.received < content[c.build].length;
              c.done = !c.bad;
              key.cancel();
              continue;
            }
            buf.flip();
            buf.get(arr, 0, n);
            byte[] want = content[c.build];
            if (c.received + n > want.length
                || !java.util.Arrays.equals(arr, 0, n, want, c.received, c.received + n)) {
              c.bad = true;
              key.cancel();
              continue;
            }
            c.received += n;
            if (c.received == want.length) {
              c.done = true;
              key.cancel();
            }
          }
        } catch (IOException e) {
          c.bad = true;
          key.cancel();
        }
      }
    }
  }

  private static long countAtLeast(List<Conn> conns, int bytes) {
    return conns.stream().filter(c -> c.received >= bytes || c.bad).count();
  }

  /** Deterministic printable log lines for build {@code b}, exactly {@code size} bytes. */
  static byte[] content(int b, int size) {
    StringBuilder s = new StringBuilder(size + 80);
    for (int line = 0; s.length() < size; line++) {
      s.append(String.format("build %04d line %08d the quick brown fox jumps over the lazy dog%n", b, line));
    }
    return s.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }

  /** Waits until the gateway resolves every build (the streamers published them to the registry). */
  private static void awaitBuilds(int gatewayPort, String[] uuids) {
    for (String uuid : uuids) {
      Await.until("the gateway resolves build " + uuid, PHASE_TIMEOUT, () -> resolves(gatewayPort, uuid));
    }
  }

  private static boolean resolves(int gatewayPort, String uuid) throws IOException {
    try (SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", gatewayPort))) {
      ch.write(ByteBuffer.wrap((uuid + "\n").getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer b = ByteBuffer.allocate(5);
      return ch.read(b) > 0 && b.get(0) == 'b'; // the log starts with "build", errors do not
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not remove " + dir + ": " + e);
    }
  }
}
