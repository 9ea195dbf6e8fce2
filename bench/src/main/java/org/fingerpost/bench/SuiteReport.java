package org.fingerpost.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the one table of {@code bench/suite} from the outputs its parts left in the results directory
 * ({@code relay.txt}, {@code zones.txt}, {@code tls.txt}, {@code streams.kv}, {@code web.kv}, and each
 * part's {@code .rc} exit code and {@code .log}). Each issue-6 target is printed beside its measurement
 * as met or missed. A part that failed or left nothing readable gets a row with its error; the other
 * rows are unaffected.
 *
 * <p>Usage: {@code SuiteReport resultsDir mode streams viewers sizeMiB suiteMarkdown}.
 */
public final class SuiteReport {
  /** Target: one gateway hop at least as fast as nginx's stream proxy. */
  static final double MIN_GATEWAY_NGINX_RATIO = 1.0;
  /** Target: concurrent streams on one gateway. */
  static final int TARGET_STREAMS = 10_000;
  /** Target: gateway RSS with {@link #TARGET_STREAMS} streams (KiB): 1 GiB. */
  static final long MAX_RSS_KIB = 1024L * 1024;
  /** Target: append-to-viewer p99 at 1,000 viewers (ms). */
  static final double MAX_P99_MS = 50.0;
  /** Target viewer count for the latency and upstream targets. */
  static final int TARGET_VIEWERS = 1_000;

  private final Path dir;
  private final boolean quick;
  private final List<String[]> rows = new ArrayList<>();

  private SuiteReport(Path dir, boolean quick) {
    this.dir = dir;
    this.quick = quick;
  }

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    boolean quick = args[1].equals("quick");
    int streams = Integer.parseInt(args[2]);
    int viewers = Integer.parseInt(args[3]);
    String sizeMiB = args[4];
    SuiteReport r = new SuiteReport(dir, quick);
    r.part("relay", () -> r.relay(sizeMiB));
    r.part("zones", () -> r.zones(sizeMiB));
    r.part("tls", () -> r.tls(sizeMiB));
    r.part("streams", () -> r.streams(streams));
    r.part("web", () -> r.web(viewers));

    StringBuilder md = new StringBuilder();
    md.append(String.format("Fingerpost benchmark suite (%s), %s, %d cores, Java %s%n%n", quick ? "--quick: scaled down, "
        + "verdicts are indicative only" : "full", java.time.ZonedDateTime.now().withNano(0),
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
    md.append("| comparison | measured | target | verdict |\n|---|---|---|---|\n");
    for (String[] row : r.rows) {
      md.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    String note = read(dir.resolve("nginx-note.txt")).strip();
    if (!note.isEmpty()) {
      md.append("\nnginx: ").append(note).append('\n');
    }
    md.append("\nMB/s: median over rounds, 1 MB = 10^6 bytes. Per-part outputs and logs: ").append(dir).append('\n');
    System.out.print(md);
    Path out = Path.of(args[5]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, md.toString());
  }

  private interface Part {
    void run() throws Exception;
  }

  private void part(String name, Part p) {
    int before = rows.size();
    try {
      String rc = read(dir.resolve(name + ".rc")).strip();
      if (!rc.equals("0")) {
        throw new IllegalStateException("exit " + (rc.isEmpty() ? "?" : rc) + ": " + lastError(name));
      }
      p.run();
    } catch (Exception e) {
      while (rows.size() > before) {
        rows.remove(rows.size() - 1);
      }
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      rows.add(new String[] {name, "ERROR: " + msg.replace('|', '/').replace('\n', ' '), "", "error"});
    }
  }

  private void relay(String sizeMiB) throws IOException {
    String text = read(dir.resolve("relay.txt"));
    double direct = tableMedian(text, "direct");
    double gateway = tableMedian(text, "gateway");
    Double nginx = text.contains("| nginx") ? tableMedian(text, "nginx") : null;
    String measured = String.format("%s MiB: direct %.0f MB/s, gateway %.0f MB/s, nginx %s", sizeMiB, direct, gateway,
        nginx == null ? "not run" : String.format("%.0f MB/s", nginx));
    if (nginx == null) {
      rows.add(new String[] {"one gateway hop vs direct vs nginx stream proxy", measured,
          "gateway/nginx >= " + MIN_GATEWAY_NGINX_RATIO, "not measured (no nginx)"});
      return;
    }
    double ratio = gateway / nginx;
    rows.add(new String[] {"one gateway hop vs direct vs nginx stream proxy",
        measured + String.format("; gateway/nginx %.2f, gateway/direct %.2f", ratio, gateway / direct),
        "gateway/nginx >= " + MIN_GATEWAY_NGINX_RATIO, verdict(ratio >= MIN_GATEWAY_NGINX_RATIO,
            String.format("by %.0f%%", (1 - ratio) * 100))});
  }

  private void zones(String sizeMiB) throws IOException {
    String text = read(dir.resolve("zones.txt"));
    double direct = median(rounds(text, "direct"));
    double two = median(rounds(text, "two hops"));
    Matcher m = Pattern.compile("first byte at a zone-A client, (\\d+) builds: median ([0-9.]+) ms").matcher(text);
    String appear = m.find() ? String.format("; build appears -> first byte, median %s ms (%s builds)", m.group(2),
        m.group(1)) : "";
    String nginx = "";
    if (text.contains("nginx two hops")) {
      double n = median(rounds(text, "nginx two hops"));
      nginx = String.format(", two nginx hops %.0f MB/s; two gateway hops/two nginx hops %.2f", n, two / n);
    }
    rows.add(new String[] {"two zone hops vs direct vs two nginx hops", String.format("%s MiB: direct %.0f MB/s, two "
        + "gateway hops %.0f MB/s%s; two hops/direct %.2f%s", sizeMiB, direct, two, nginx, two / direct, appear),
        "(none)", "info"});
    if (text.contains("nginx TLS two hops")) {
      double tls = median(rounds(text, "TLS two hops"));
      double n = median(rounds(text, "nginx TLS two hops"));
      rows.add(new String[] {"two zone hops, the cross-zone one over mutual TLS, vs two nginx hops (proxy_ssl to listen ssl)",
          String.format("%s MiB: two gateway hops %.0f MB/s, two nginx hops %.0f MB/s; gateway/nginx %.2f", sizeMiB,
              tls, n, tls / n), "(none)", "info"});
    }
  }

  private void tls(String sizeMiB) throws IOException {
    String text = read(dir.resolve("tls.txt"));
    double plain = tableMedian(text, "plain");
    double conscrypt = tableMedian(text, "TLS hop, Conscrypt");
    double jdk = tableMedian(text, "TLS hop, JDK");
    String available = text.contains("Conscrypt available: true") ? "" : " (Conscrypt NOT available: JDK used)";
    String nginx = "";
    if (text.contains("| " + TlsRelayThroughput.NGINX_TLS)) {
      double n = tableMedian(text, TlsRelayThroughput.NGINX_TLS);
      nginx = String.format(", TLS nginx (OpenSSL) %.0f MB/s; gateway Conscrypt/nginx %.2f", n, conscrypt / n);
    }
    rows.add(new String[] {"one hop over mutual TLS vs plain vs nginx", String.format("%s MiB: plain %.0f MB/s, TLS "
        + "Conscrypt %.0f MB/s, TLS JDK %.0f MB/s%s; Conscrypt/plain %.2f%s", sizeMiB, plain, conscrypt, jdk, nginx,
        conscrypt / plain, available), "(none)", "info"});
  }

  private void streams(int wanted) throws IOException {
    Map<String, String> kv = keyValues(dir.resolve("streams.kv"));
    if (kv.containsKey("error")) {
      throw new IllegalStateException(kv.get("error"));
    }
    long reached = Long.parseLong(kv.get("reached"));
    long rssKib = Long.parseLong(kv.get("rss_kib"));
    long lost = Long.parseLong(kv.get("lost_bytes"));
    long corrupt = Long.parseLong(kv.get("corrupt"));
    long complete = Long.parseLong(kv.get("complete"));
    String measured = String.format("%d of %d streams (%s builds, %s bytes each)%s; gateway RSS %.0f MiB, heap used "
        + "%.0f MiB, native memory committed MB: %s; %s threads, CPU %s s, %s fds (limit %s); upstream connections %s "
        + "(%.2f per build); complete %d, corrupt %d, lost bytes %d%s; per idle stream (growth over the gateway with no "
        + "stream, after a full GC): heap %s KiB, RSS %s KiB", reached, wanted, kv.get("builds"),
        kv.get("bytes_per_stream"), reached < wanted ? " [stopped: " + kv.get("stop_reason") + "]" : "",
        rssKib / 1024.0, Long.parseLong(kv.get("heap_used_bytes")) / 1048576.0,
        kv.getOrDefault("nmt_committed_mb", "n/a"), kv.get("threads"), kv.get("cpu_seconds"),
        kv.get("gateway_fds"), kv.get("gateway_fd_limit"), kv.get("upstreams"),
        Long.parseLong(kv.get("upstreams")) / Double.parseDouble(kv.get("builds")), complete, corrupt, lost,
        "ok".equals(kv.get("finish")) ? "" : " [" + kv.get("finish") + "]",
        kv.getOrDefault("idle_heap_kib_per_stream", "n/a"), kv.getOrDefault("idle_rss_kib_per_stream", "n/a"));
    boolean noLoss = lost == 0 && corrupt == 0 && complete == reached;
    boolean rssOk = rssKib < MAX_RSS_KIB;
    boolean countOk = reached >= TARGET_STREAMS;
    List<String> why = new ArrayList<>();
    if (!countOk) {
      why.add(String.format("reached %d of %d", reached, TARGET_STREAMS));
    }
    if (!rssOk) {
      why.add(String.format("RSS over by %.0f MiB", (rssKib - MAX_RSS_KIB) / 1024.0));
    }
    if (!noLoss) {
      why.add("bytes lost or corrupt");
    }
    rows.add(new String[] {"concurrent live streams through one gateway (own JVM)", measured,
        String.format("%,d streams, RSS < 1 GiB, no lost byte", TARGET_STREAMS),
        verdict(why.isEmpty(), String.join(", ", why))});
    long upstreams = Long.parseLong(kv.get("upstreams"));
    long builds = Long.parseLong(kv.get("builds"));
    rows.add(new String[] {"upstreams per build at that gateway", String.format("%d gateway -> streamer connections for "
        + "%d builds (%.2f per build)", upstreams, builds, upstreams / (double) builds),
        "exactly 1 upstream per build per node", verdict(upstreams == builds,
            String.format("%.2fx the target", upstreams / (double) builds))});
  }

  private void web(int viewers) throws IOException {
    Map<String, String> kv = keyValues(dir.resolve("web.kv"));
    long tcp = Long.parseLong(kv.get("upstream_tcp_" + viewers));
    long opened = Long.parseLong(kv.get("upstream_opened_" + viewers));
    rows.add(new String[] {viewers + " viewers on one build through one web node",
        String.format("upstream connections web -> gateway: %d established (%d streams opened); per-viewer lag: median "
            + "viewer %s ms, worst viewer %s ms; block %s kB/s per viewer", tcp, opened, kv.get("lag_median_ms_" + viewers),
            kv.get("lag_worst_ms_" + viewers), kv.get("kbps_per_viewer_" + viewers)),
        "exactly 1 upstream per build per node", verdict(tcp == 1 && opened == 1, String.format("%d upstreams, %dx the "
            + "target", Math.max(tcp, opened), Math.max(tcp, opened)))});
    double p99 = Double.parseDouble(kv.get("p99_ms_" + viewers));
    rows.add(new String[] {"append-to-viewer latency", String.format("1 viewer: p50 %s ms, p99 %s ms; %d viewers: p50 %s "
        + "ms, p99 %s ms, max %s ms; CPU during the %d-viewer lines: %s", kv.get("p50_ms_1"), kv.get("p99_ms_1"), viewers,
        kv.get("p50_ms_" + viewers), kv.get("p99_ms_" + viewers), kv.get("max_ms_" + viewers), viewers,
        kv.getOrDefault("cpu_" + viewers, "n/a")), String.format("p99 < %.0f ms at %,d viewers",
        MAX_P99_MS, TARGET_VIEWERS), verdict(p99 < MAX_P99_MS && viewers >= TARGET_VIEWERS,
            viewers < TARGET_VIEWERS ? "only " + viewers + " viewers" : String.format("by %.1f ms", p99 - MAX_P99_MS))});
    String d = viewers + "d";
    if (kv.containsKey("p99_ms_" + d)) {
      rows.add(new String[] {"append-to-viewer latency, viewers asking for permessage-deflate (as browsers do), "
          + "web.websocket_compression on", String.format("%d viewers: p50 %s ms, p99 %s ms, max %s ms; CPU during the "
          + "lines: %s", viewers, kv.get("p50_ms_" + d), kv.get("p99_ms_" + d), kv.get("max_ms_" + d),
          kv.getOrDefault("cpu_" + d, "n/a")), "(none: compression is off by default)", "info"});
    }
  }

  private String verdict(boolean met, String howMuch) {
    String v = met ? "met" : "missed (" + howMuch + ")";
    return quick ? v + ", quick size" : v;
  }

  /** Median column of the markdown-ish row whose first cell starts with {@code prefix}. */
  private static double tableMedian(String text, String prefix) {
    for (String line : text.split("\n")) {
      String[] cells = line.split("\\|");
      if (cells.length > 2 && cells[1].strip().startsWith(prefix)) {
        return Double.parseDouble(cells[2].strip());
      }
    }
    throw new IllegalStateException("no '" + prefix + "' row in the part's output");
  }

  private static List<Double> rounds(String text, String prefix) {
    List<Double> v = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix) && line.contains(", round ")) {
        String[] f = line.trim().split("\\s+");
        v.add(Double.parseDouble(f[f.length - 1]));
      }
    }
    if (v.isEmpty()) {
      throw new IllegalStateException("no '" + prefix + "' rounds in the part's output");
    }
    return v;
  }

  private static double median(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    v.sort(Double::compare);
    return v.get(v.size() / 2);
  }

  private static Map<String, String> keyValues(Path file) throws IOException {
    Map<String, String> kv = new HashMap<>();
    for (String line : read(file).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        kv.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    if (kv.isEmpty()) {
      throw new IllegalStateException("no output in " + file);
    }
    return kv;
  }

  /** The first line of a part's log that names an exception or error (the outermost), else its last line. */
  private String lastError(String name) {
    String[] lines = read(dir.resolve(name + ".log")).split("\n");
    for (String line : lines) {
      if (line.contains("Exception") || line.contains("Error")) {
        return line.strip();
      }
    }
    return lines.length == 0 ? "no log" : lines[lines.length - 1].strip();
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
