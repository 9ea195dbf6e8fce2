package org.fingerpost.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.fingerpost.testing.Await;

/**
 * Websocket fan-out at scale (issue 16, targets 3 and 4): this JVM is the load generator (one
 * selector thread, {@link RawViewers}); the web node runs in a JVM of its own ({@link FanoutNode}), so
 * its RSS, heap and CPU are its own. Four measurements in one run:
 * <ol>
 *   <li><b>idle memory</b>: heap after GC and RSS of the web node before and after {@code viewers}
 *       websockets attach to one build (one shared upstream) and go idle; per idle websocket;
 *   <li><b>latency</b>: timestamped lines appended every {@code intervalMs} (20: 50 lines/s) to that
 *       build; p50/p99/max append-to-viewer over every line at every viewer, whether every viewer got
 *       every byte, the web node's CPU per delivered MB, and its peak RSS ({@code VmHWM});
 *   <li><b>per upstream</b>: {@code builds} builds with one idle websocket each: memory per build
 *       (shared upstream, its websocket, and the streamer's stream, which runs in the same JVM).
 *   <li><b>never reading</b>: {@code stalled} websockets that never read a 270 KB log (issue 15's
 *       case): memory per websocket once the web node's RSS settled.
 * </ol>
 * Usage: {@code WsFanoutBench [viewers (10000)] [lines (200)] [intervalMs (20)] [builds (500)] [workDir]
 * [resultFile] [nodeHeap (2g)] [stalled (1000)]}. Writes one table.
 */
public final class WsFanoutBench {
  static final String TENANT = "bench";
  private static final String PATH = "/api/tenant/" + TENANT + "/console-stream";
  /** Websockets connected at a time: the web node's accept queue is short, a burst would wait on SYN retries. */
  private static final int CONNECT_BATCH = 250;
  private static final int CLOCK_TICKS_PER_SECOND = 100;
  /** Issue 15's never-reading case: a log of about 270 KB. */
  private static final int STALLED_LOG_BYTES = 270_000;
  /** Most one-second RSS samples taken while waiting for the web node's RSS to settle. */
  private static final int RSS_SETTLE_SAMPLES = 60;

  private final FanoutNodeProcess node;

  private WsFanoutBench(FanoutNodeProcess node) {
    this.node = node;
  }

  public static void main(String[] args) throws Exception {
    int viewers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int lines = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    long intervalMs = args.length > 2 ? Long.parseLong(args[2]) : 20;
    int builds = args.length > 3 ? Integer.parseInt(args[3]) : 500;
    Path work = Files.createDirectories(Path.of(args.length > 4 ? args[4] : "bench/work"));
    Path result = args.length > 5 ? Path.of(args[5]) : null;
    String nodeHeap = args.length > 6 ? args[6] : "2g";
    int stalled = args.length > 7 ? Integer.parseInt(args[7]) : 1000;
    String table;
    try (FanoutNodeProcess node = FanoutNodeProcess.start(nodeHeap, work)) {
      table = new WsFanoutBench(node).run(viewers, lines, intervalMs, builds, stalled);
    }
    System.out.print(table);
    if (result != null) {
      Files.createDirectories(result.toAbsolutePath().getParent());
      Files.writeString(result, table);
    }
  }

  private String run(int viewers, int lines, long intervalMs, int builds, int stalled) throws Exception {
    StringBuilder out = new StringBuilder(String.format(
        "websocket fan-out: %d viewers of one build on one web node (own JVM, pid %d), %d lines every %d ms%n",
        viewers, node.pid(), lines, intervalMs));
    try (RawViewers client = new RawViewers(false)) {
      long heap0 = node.heap();
      long rss0 = node.rssKiB();
      FanoutNodeProcess.Build build = node.build();
      List<RawViewers.Viewer> all = connect(client, build.uuid(), viewers, lines);
      long heap1 = node.heap();
      long rss1 = node.rssKiB();
      String histogram = System.getProperty("bench.idleHistogram"); // where idle memory goes, per class
      if (histogram != null) {
        Files.writeString(Path.of(histogram), Jcmd.run(node.pid(), "GC.class_histogram") + "\n"
            + Jcmd.run(node.pid(), "VM.native_memory", "summary")); // null without -XX:NativeMemoryTracking
      }
      out.append(String.format("idle websockets (one shared upstream): heap +%.1f KiB, RSS +%.1f KiB per websocket "
          + "(heap %d -> %d MiB, RSS %d -> %d MiB)%n", (heap1 - heap0) / 1024.0 / viewers,
          (rss1 - rss0) / (double) viewers, heap0 >> 20, heap1 >> 20, rss0 >> 10, rss1 >> 10));

      Path log = build.log();
      // Warm-up: the same lines, unmeasured (not "seq" lines), so that the JIT has compiled the fan-out
      // before it is measured, as on a web node that has been running: on a cold node the compiler
      // threads took a third of the node's CPU in the measured window.
      appendLines(log, "warm", lines, intervalMs);
      long warmed = Files.size(log);
      await("the warm-up lines at every viewer", () -> all.stream().allMatch(v -> v.bytes.get() >= warmed || v.ended));
      long ticks0 = ProcFs.cpuTicks(node.pid());
      // Where both processes' CPU went in the window: is the fan-out or the viewers' reader the bottleneck?
      ThreadCpu generatorCpu = new ThreadCpu();
      ThreadCpu nodeCpu = new ThreadCpu(node.pid());
      node.profiler("start,event=cpu,interval=1ms,threads");
      long appended = appendLines(log, "seq", lines, intervalMs);
      await("every line at every viewer", () -> all.stream().allMatch(v -> v.count.get() >= lines || v.ended));
      node.profiler("stop,collapsed,file=" + System.getProperty("bench.profileOut", "bench/results/ws-fanout-lines.collapsed"));
      long cpuTicks = ProcFs.cpuTicks(node.pid()) - ticks0;
      long expectedBytes = Files.size(log);
      long complete = all.stream().filter(v -> v.bytes.get() == expectedBytes && v.count.get() == lines).count();
      long[] latencies = all.stream().flatMapToLong(v -> Arrays.stream(v.latencies, 0, (int) Math.min(lines,
          v.count.get()))).sorted().toArray();
      double deliveredMb = (double) appended * viewers / 1e6;
      double cpuSeconds = cpuTicks / (double) CLOCK_TICKS_PER_SECOND;
      out.append(String.format("latency append->viewer: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d lines x %d "
          + "viewers; viewers with every byte: %d of %d%n", pct(latencies, 50), pct(latencies, 99),
          latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6, lines, viewers, complete, viewers));
      out.append(String.format("web node CPU while lines were appended: %.2f s for %.1f MB delivered: %.3f CPU s per "
          + "MB; peak RSS (VmHWM) %d MiB; %s%n", cpuSeconds, deliveredMb, cpuSeconds / Math.max(1e-9, deliveredMb),
          ProcFs.status(node.pid(), "VmHWM") >> 10, node.answerOf("stats")));
      out.append(String.format("CPU in the window, web node: %s%nCPU in the window, load generator: %s%n",
          nodeCpu.report(0.05), generatorCpu.report(0.05)));
      all.forEach(RawViewers.Viewer::close);

      if (builds > 0) {
        awaitNoWebsockets();
        long heap2 = node.heap();
        long rss2 = node.rssKiB();
        List<RawViewers.Viewer> one = new ArrayList<>();
        for (int i = 0; i < builds; i++) {
          one.addAll(connect(client, node.build().uuid(), 1, 1));
        }
        long heap3 = node.heap();
        long rss3 = node.rssKiB();
        out.append(String.format("idle builds with one websocket each (%d): heap +%.1f KiB, RSS +%.1f KiB per build "
            + "(its shared upstream, websocket and streamer stream)%n", builds, (heap3 - heap2) / 1024.0 / builds,
            (rss3 - rss2) / (double) builds));
        one.forEach(RawViewers.Viewer::close);
      }
      if (stalled > 0) {
        out.append(stalled(stalled));
      }
    }
    return out.toString();
  }

  /**
   * Issue 15's case: websockets that never read, on a build whose log is {@link #STALLED_LOG_BYTES}
   * long; heap after GC and RSS once the web node's RSS settled.
   */
  private String stalled(int count) throws Exception {
    awaitNoWebsockets();
    long heap0 = node.heap();
    long rss0 = node.rssKiB();
    FanoutNodeProcess.Build build = node.build();
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < STALLED_LOG_BYTES; i++) {
      text.append(String.format("%08d a line of build output that nobody reads, step %d%n", i, i % 97));
    }
    Files.writeString(build.log(), text, StandardOpenOption.APPEND);
    try (StalledViewers stalledViewers = new StalledViewers()) {
      for (int i = 0; i < count; i++) {
        stalledViewers.open(node.port(), PATH, build.uuid());
      }
      long rss1 = settledRssKiB();
      long heap1 = node.heap();
      return String.format("never-reading websockets (%d) of a %d KB log: heap +%.1f KiB, RSS +%.1f KiB per websocket "
          + "(heap %d -> %d MiB, RSS %d -> %d MiB); %s%n", count, (text.length() + 6) / 1000,
          (heap1 - heap0) / 1024.0 / count, (rss1 - rss0) / (double) count, heap0 >> 20, heap1 >> 20, rss0 >> 10,
          rss1 >> 10, node.answerOf("stats"));
    }
  }

  /** The web node's RSS once three samples a second apart are within 1% of each other. */
  private long settledRssKiB() throws IOException, InterruptedException {
    long[] last = {node.rssKiB(), -1, -1};
    for (int i = 0; i < RSS_SETTLE_SAMPLES; i++) {
      Thread.sleep(1000); // sampling a figure, not a synchronisation
      last[2] = last[1];
      last[1] = last[0];
      last[0] = node.rssKiB();
      long max = Math.max(last[0], Math.max(last[1], last[2]));
      if (last[2] > 0 && max - Math.min(last[0], Math.min(last[1], last[2])) <= max / 100) {
        break;
      }
    }
    return last[0];
  }

  private void awaitNoWebsockets() {
    await("the web node closed the websockets", () -> {
      try {
        return node.answerOf("websockets").equals("WEBSOCKETS 0");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** Connects {@code count} viewers of {@code uuid} in batches; returns once all got the log's head. */
  private List<RawViewers.Viewer> connect(RawViewers client, String uuid, int count, int lines) throws Exception {
    List<RawViewers.Viewer> all = new ArrayList<>(count);
    while (all.size() < count) {
      List<RawViewers.Viewer> batch = new ArrayList<>();
      for (int i = 0; i < CONNECT_BATCH && all.size() + batch.size() < count; i++) {
        batch.add(client.open(node.port(), PATH, uuid, lines));
      }
      await("viewers " + all.size() + "+" + batch.size() + " got the head",
          () -> batch.stream().allMatch(v -> v.bytes.get() >= "start\n".length()));
      all.addAll(batch);
    }
    return all;
  }

  /** Appends {@code lines} lines {@code <tag> <n> t <nanoTime>}; the viewers time only the {@code seq} ones. */
  private static long appendLines(Path log, String tag, int lines, long intervalMs)
      throws IOException, InterruptedException {
    long bytes = 0;
    try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
      for (int i = 0; i < lines; i++) {
        byte[] line = (tag + " " + i + " t " + System.nanoTime() + "\n").getBytes(StandardCharsets.US_ASCII);
        out.write(line);
        out.flush();
        bytes += line.length;
        Thread.sleep(intervalMs); // the pace of a build log, not a synchronisation
      }
    }
    return bytes;
  }

  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  private static void await(String what, BooleanSupplier condition) {
    if (!Await.within(Duration.ofMinutes(3), condition::getAsBoolean)) {
      throw new IllegalStateException("timed out waiting for " + what);
    }
  }
}
