package org.fingerpost.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fingerpost.gateway.Gateway;
import org.fingerpost.gateway.GatewaySettings;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streamer.StreamerSettings;
import org.fingerpost.testing.Await;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;
import org.fingerpost.webapp.WebServer;
import org.fingerpost.webapp.WebServices;
import org.fingerpost.webapp.WebSettings;

/**
 * Latency from a line appended to a build's log file to its arrival at websocket viewers, through
 * web (zone a) -> gateway (zone b) -> streamer (zone b), with 1 and with N viewers in the same run;
 * then the bytes per second each viewer receives while a large block is appended at once.
 *
 * <p>Usage: {@code WebLatency [viewers (1000)] [lines (200)] [lineIntervalMs (20)] [blockMiB (8)]
 * [workDir] [resultFile] [keyValueFile]}. Everything runs in one JVM on loopback, so one clock
 * timestamps both ends. Beside latency it reports, per viewer count, the upstream connections the web
 * node holds to the gateway for the one build (established TCP connections to the gateway's port,
 * counted in {@code /proc/net/tcp} with every viewer streaming, and the web node's opened gateway
 * streams) and the per-viewer lag (each viewer's median line latency; median and worst viewer). The
 * optional {@code keyValueFile} gets these as {@code key=value} lines for {@link SuiteReport}. Each
 * measured pass follows an unmeasured warm-up pass of the same shape, so that JIT compilation does
 * not fall into the measurement.
 */
public final class WebLatency {
  /** Unmeasured passes before each measured one ({@code -Dbench.warmups=N}; 1 in the suite). */
  private static final int WARM_UP_PASSES = Integer.getInteger("bench.warmups", 1);
  private static final String TENANT = "bench";

  private WebLatency() {}

  public static void main(String[] args) throws Exception {
    int many = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int lines = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    long intervalMs = args.length > 2 ? Long.parseLong(args[2]) : 20;
    int blockMiB = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    Path work = Files.createDirectories(Path.of(args.length > 4 ? args[4] : "bench/work"));
    Path result = args.length > 5 ? Path.of(args[5]) : null;
    Path keyValues = args.length > 6 ? Path.of(args[6]) : null;
    StringBuilder kv = new StringBuilder();
    Path jobs = Files.createDirectories(work.resolve("web-jobs-" + ProcessHandle.current().pid()));

    StringBuilder table = new StringBuilder();
    table.append(String.format("web -> gateway -> streamer, %d lines every %d ms, block %d MiB%n", lines, intervalMs,
        blockMiB));
    table.append(String.format("%-8s %10s %10s %10s %10s %14s %14s %10s %10s %14s %14s%n", "viewers", "p50 ms",
        "p99 ms", "max ms", "block KiB", "kB/s/viewer", "MB/s total", "upstr tcp", "upstr open",
        "lag med ms", "lag worst ms"));
    try (LocalZooKeeper zk = LocalZooKeeper.start(work.resolve("web-zookeeper-" + ProcessHandle.current().pid()), 0);
        Registry registry = Registry.connect(RegistrySettings.builder(zk.connectString()).build());
        Streamer streamer = new Streamer(StreamerSettings.builder().listenAddress("127.0.0.1").port(0)
            .hostname("127.0.0.1").zone("b").jobDir(jobs).tenant(TENANT).build(), registry);
        Transports transports = Transports.load(WebLatency.class.getClassLoader(), null, TransportSettings.EMPTY);
        Gateway gateway = new Gateway(GatewaySettings.builder().listenAddress("127.0.0.1").port(0)
            .hostname("127.0.0.1").zone("b").build(), registry, transports);
        // Compression allowed: only the viewers of the deflate pass ask for it.
        WebServices services = new WebServices(LoopbackWebNode.settings(WebSettings.builder().port(0).zone("a")
            .websocketCompression(true)).build(), registry, transports);
        WebServer web = new WebServer(services, LoopbackWebNode.limits())) {
      streamer.start();
      gateway.start();
      web.start();
      String path = "/api/tenant/" + TENANT + "/console-stream";
      int port = web.port();
      // Plain viewers, then viewers that negotiate permessage-deflate as browsers do.
      for (boolean deflate : new boolean[] {false, true}) {
        try (RawViewers client = new RawViewers(deflate)) {
          for (int viewers : deflate ? new int[] {many} : new int[] {1, many}) {
            String label = viewers + (deflate ? "d" : "");
            // Warm-up: an unmeasured pass of the same shape right before the measured one, so that the
            // JIT compiles (and recompiles) the fan-out path before it is measured, not during it, as
            // on a web node that has been running.
            for (int w = 0; w < WARM_UP_PASSES; w++) {
              run(registry, jobs, client, port, path, viewers, label, lines, intervalMs, blockMiB, services,
                  gateway.port(), new StringBuilder());
            }
            table.append(run(registry, jobs, client, port, path, viewers, label, lines, intervalMs, blockMiB, services,
                gateway.port(), kv.append("viewers=").append(label).append('\n'))).append('\n');
          }
        }
      }
    }
    String text = table.toString();
    System.out.print(text);
    if (result != null) {
      Files.createDirectories(result.toAbsolutePath().getParent());
      Files.writeString(result, text);
    }
    if (keyValues != null) {
      Files.createDirectories(keyValues.toAbsolutePath().getParent());
      Files.writeString(keyValues, kv.toString());
    }
  }

  private static String run(Registry registry, Path jobs, RawViewers client, int port, String path, int viewers,
      String label, int lines,
      long intervalMs, int blockMiB, WebServices services, int gatewayPort, StringBuilder kv) throws Exception {
    String uuid = String.format("beefcafe%024x", System.nanoTime());
    Path log = jobs.resolve(uuid).resolve("work/logs/job-output.txt");
    Files.createDirectories(log.getParent());
    Files.writeString(log, "start\n");
    awaitNode(registry, registry.path("executor", "zones", "b", "requests", uuid));
    // The web node answers from its watched copy of the registry, which sees a new build a moment later.
    await("the web node knowing " + uuid, () -> {
      try {
        services.router().resolve(uuid);
        return true;
      } catch (org.fingerpost.transport.StreamException e) {
        return false;
      }
    });

    long openedBefore = services.router().metrics().openedCount(org.fingerpost.transport.StreamTarget.Route.GATEWAY);
    List<RawViewers.Viewer> all = new ArrayList<>();
    for (int i = 0; i < viewers; i++) {
      all.add(client.open(port, path, uuid, lines));
    }
    await("every viewer streaming", () -> all.stream().allMatch(v -> v.bytes.get() >= 6),
        () -> all.stream().filter(v -> v.bytes.get() < 6).limit(3).map(v -> v.ended ? "ended: " + v.why : "waiting")
            .toList() + " of " + all.stream().filter(v -> v.bytes.get() < 6).count() + " not streaming");
    // Upstreams of this web node for this build, with every viewer streaming: what crosses the zone.
    long upstreamTcp = ProcFs.established(List.of(gatewayPort));
    long upstreamOpened = services.router().metrics().openedCount(org.fingerpost.transport.StreamTarget.Route.GATEWAY)
        - openedBefore;
    if (services.router().metrics().openedCount(org.fingerpost.transport.StreamTarget.Route.GATEWAY) == 0) {
      throw new IllegalStateException("streams did not take the gateway route");
    }

    // Latency: a timestamped line at a steady pace.
    ThreadCpu cpu = new ThreadCpu();
    try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
      for (int i = 0; i < lines; i++) {
        out.write(("seq " + i + " t " + System.nanoTime() + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(intervalMs); // the pace of a build log, not a synchronisation
      }
    }
    await("every line at every viewer", () -> all.stream().allMatch(v -> v.count.get() >= lines));
    long[] latencies = all.stream().flatMapToLong(v -> Arrays.stream(v.latencies, 0, lines)).sorted().toArray();
    long[] viewerLag = all.stream().mapToLong(v -> {
      long[] l = Arrays.copyOf(v.latencies, lines);
      Arrays.sort(l);
      return l[lines / 2];
    }).sorted().toArray();

    String cpuUse = cpu.report(0.05);
    System.err.printf("%s viewers, CPU while lines were appended: %s%n", label, cpuUse);
    System.err.printf("%s viewers, each viewer's median line latency (ms): best %.2f, median %.2f, worst %.2f%n",
        label, viewerLag[0] / 1e6, viewerLag[viewerLag.length / 2] / 1e6, viewerLag[viewerLag.length - 1] / 1e6);
    // Throughput: one large block appended at once; how fast does each viewer get it?
    long before = all.get(0).bytes.get();
    // The same block for 1,000 viewers would be GiBs through one machine: scale it down, keep it >= 64 KiB.
    int blockBytes = viewers == 1 ? blockMiB * 1024 * 1024 : Math.max(64 * 1024, blockMiB * 1024 * 1024 / viewers * 32);
    byte[] block = new byte[blockBytes];
    byte[] row = "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmn\n"
        .getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < block.length; i++) {
      block[i] = row[i % row.length];
    }
    long start = System.nanoTime();
    Files.write(log, block, StandardOpenOption.APPEND);
    await("the block at every viewer (expected " + (before + block.length) + " bytes)",
        () -> all.stream().allMatch(v -> v.bytes.get() >= before + block.length),
        () -> "viewer 0 has " + all.get(0).bytes.get() + " bytes");
    double seconds = Math.max(1e-9, all.stream().mapToLong(v -> v.lastAt).max().getAsLong() - start) / 1e9;
    double[] perViewer = all.stream().mapToDouble(v -> block.length / ((v.lastAt - start) / 1e9) / 1e3).sorted().toArray();
    double median = perViewer[perViewer.length / 2];
    double total = (double) block.length * viewers / seconds / 1e6;

    for (RawViewers.Viewer v : all) {
      v.close();
    }
    Files.delete(log);
    kv.append(String.format("p50_ms_%1$s=%2$.2f%np99_ms_%1$s=%3$.2f%nmax_ms_%1$s=%4$.2f%nupstream_tcp_%1$s=%5$d%n"
        + "upstream_opened_%1$s=%6$d%nlag_median_ms_%1$s=%7$.2f%nlag_worst_ms_%1$s=%8$.2f%nkbps_per_viewer_%1$s=%9$.0f%n"
        + "cpu_%1$s=%10$s%n", label, pct(latencies, 50), pct(latencies, 99), latencies[latencies.length - 1] / 1e6,
        upstreamTcp, upstreamOpened, viewerLag[viewerLag.length / 2] / 1e6, viewerLag[viewerLag.length - 1] / 1e6,
        median, cpuUse));
    return String.format("%-8s %10.2f %10.2f %10.2f %10d %14.0f %14.1f %10d %10d %14.2f %14.2f", label,
        pct(latencies, 50), pct(latencies, 99), latencies[latencies.length - 1] / 1e6, blockBytes / 1024, median, total,
        upstreamTcp, upstreamOpened, viewerLag[viewerLag.length / 2] / 1e6, viewerLag[viewerLag.length - 1] / 1e6);
  }

  private static double pct(long[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }

  private static void awaitNode(Registry registry, String node) throws Exception {
    await("build node " + node, () -> {
      try {
        return registry.curator().checkExists().forPath(node) != null;
      } catch (Exception e) {
        return false;
      }
    });
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
    await(what, condition, () -> "");
  }

  private static void await(String what, java.util.function.BooleanSupplier condition,
      java.util.function.Supplier<String> progress) {
    if (!Await.within(Duration.ofMinutes(2), condition::getAsBoolean)) {
      throw new IllegalStateException("timed out waiting for " + what + " " + progress.get());
    }
  }
}
