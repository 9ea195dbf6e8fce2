package org.fingerpost.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The soak's one table: bytes lost, duplicated and corrupted per client kind; recovery time per
 * fault kind (p50 and max); growth of RSS, open files and threads per process between the first and
 * the last minute of the load phase; then the clients' events (reconnects, error texts, close
 * codes). {@link #failures} lists what makes the soak fail. Not thread-safe; built once at the end.
 */
final class SoakReport {
  /** Recovery target after a gateway kill, milliseconds (the issue's). */
  static final long GATEWAY_KILL_TARGET_MILLIS = 5_000;
  private static final long MINUTE_MILLIS = 60_000;

  private final StringBuilder out = new StringBuilder();
  private final List<String> failures = new ArrayList<>();

  void header(String line) {
    out.append(line).append('\n');
  }

  void bytes(List<Viewer> finger, List<Viewer> ws, long fileErrors) {
    out.append("\n| bytes | finger clients | websocket viewers | target |\n|---|---|---|---|\n");
    row("received, verified", sum(finger, v -> v.check.position()), sum(ws, v -> v.check.position()), "");
    long[] lost = {sum(finger, v -> v.check.lost()), sum(ws, v -> v.check.lost())};
    long[] dup = {sum(finger, v -> v.check.duplicated()), sum(ws, v -> v.check.duplicated())};
    long[] bad = {sum(finger, v -> v.check.corrupted()), sum(ws, v -> v.check.corrupted())};
    row("lost", lost[0], lost[1], "0");
    row("duplicated", dup[0], dup[1], "0");
    row("corrupted", bad[0], bad[1], "0");
    out.append(String.format("| log files differing from what was written | %,d | | 0 |%n", fileErrors));
    if (lost[0] + lost[1] + dup[0] + dup[1] + bad[0] + bad[1] + fileErrors > 0) {
      failures.add("bytes lost, duplicated or corrupted");
    }
  }

  private void row(String what, long finger, long ws, String target) {
    out.append(String.format("| %s | %,d | %,d | %s |%n", what, finger, ws, target));
  }

  private static long sum(List<Viewer> viewers, java.util.function.ToLongFunction<Viewer> f) {
    return viewers.stream().mapToLong(f).sum();
  }

  void recoveries(List<Faults.Result> results) {
    out.append("\n| fault (recovery counted from its end) | n | clients whole again p50 | max | target |"
        + " daemon serving again p50 | max |\n|---|---|---|---|---|---|---|\n");
    Map<Faults.Kind, List<Faults.Result>> byKind =
        results.stream().collect(Collectors.groupingBy(Faults.Result::kind, java.util.TreeMap::new, Collectors.toList()));
    byKind.forEach((kind, rs) -> {
      List<Long> clients = sorted(rs, Recovery.Times::clientsMillis);
      List<Long> daemons = sorted(rs, Recovery.Times::daemonsMillis);
      boolean gatewayKill = kind == Faults.Kind.GATEWAY_KILL_A || kind == Faults.Kind.GATEWAY_KILL_B;
      long max = clients.contains(-1L) ? -1 : clients.get(clients.size() - 1);
      String target = gatewayKill ? "< 5 s" + (max < 0 || max > GATEWAY_KILL_TARGET_MILLIS ? " (missed)" : " (met)") : "";
      out.append(String.format("| %s | %d | %s | %s | %s | %s | %s |%n", kind.label, rs.size(),
          seconds(median(clients)), seconds(max), target, seconds(median(daemons)),
          seconds(daemons.contains(-1L) ? -1 : daemons.get(daemons.size() - 1))));
      for (Faults.Result r : rs) {
        if (!r.times().recovered()) {
          failures.add(kind.label + " (" + r.target() + "): not recovered; " + r.detail());
        }
      }
    });
  }

  private static List<Long> sorted(List<Faults.Result> rs, java.util.function.ToLongFunction<Recovery.Times> f) {
    return rs.stream().map(r -> f.applyAsLong(r.times())).sorted().collect(Collectors.toList());
  }

  private static long median(List<Long> sorted) {
    return sorted.get((sorted.size() - 1) / 2);
  }

  private static String seconds(long millis) {
    return millis < 0 ? "NOT RECOVERED" : String.format("%.2f s", millis / 1000.0);
  }

  void growth(Map<String, List<ProcSampler.Sample>> samples, Map<String, long[]> liveHeaps, long loadMillis) {
    out.append("\n| process | RSS MiB, first → last minute | open files | threads | live heap MiB after a full GC,"
        + " first minute → end of load → drained |\n|---|---|---|---|---|\n");
    samples.forEach((name, list) -> {
      List<ProcSampler.Sample> first = window(list, 0, Math.min(MINUTE_MILLIS, loadMillis / 2));
      List<ProcSampler.Sample> last = window(list, Math.max(loadMillis - MINUTE_MILLIS, loadMillis / 2), Long.MAX_VALUE);
      if (first.isEmpty() || last.isEmpty()) {
        out.append(String.format("| %s | no samples | | |%n", name));
        return;
      }
      boolean restarted = list.stream().map(ProcSampler.Sample::pid).distinct().count() > 1;
      out.append(String.format("| %s%s | %s | %s | %s | %s |%n", name, restarted ? " (restarted)" : "",
          change(first, last, s -> s.rssKb() / 1024.0), change(first, last, s -> s.openFiles()),
          change(first, last, s -> s.threads()), heapChange(liveHeaps.get(name))));
    });
  }

  /** "a → b → c" in MiB ("?" where a probe could not say), or "—" for none (the load generator). */
  private static String heapChange(long[] kb) {
    if (kb == null) {
      return "—";
    }
    StringBuilder b = new StringBuilder();
    for (long v : kb) {
      b.append(b.length() == 0 ? "" : " → ").append(v < 0 ? "?" : String.format("%.0f", v / 1024.0));
    }
    return b.toString();
  }

  private static List<ProcSampler.Sample> window(List<ProcSampler.Sample> list, long from, long to) {
    return list.stream().filter(s -> s.atMillis() >= from && s.atMillis() < to).collect(Collectors.toList());
  }

  private static String change(
      List<ProcSampler.Sample> first, List<ProcSampler.Sample> last,
      java.util.function.ToDoubleFunction<ProcSampler.Sample> f) {
    double a = first.stream().mapToDouble(f).average().orElse(0);
    double b = last.stream().mapToDouble(f).average().orElse(0);
    return String.format("%.0f → %.0f (%+.0f)", a, b, b - a);
  }

  /** The clients' events by phase (the fault under way when they happened), one line per phase. */
  void events(String kind, Viewer.Events events) {
    out.append("\n").append(kind).append(", events by phase:\n");
    Map<String, List<String>> byPhase = new java.util.TreeMap<>();
    events.snapshot().forEach((key, n) -> {
      int colon = key.indexOf(": ");
      byPhase.computeIfAbsent(key.substring(0, colon), p -> new ArrayList<>()).add(key.substring(colon + 2) + " " + n);
    });
    byPhase.forEach((phase, list) -> out.append("  ").append(phase).append(": ").append(String.join("; ", list)).append('\n'));
  }

  void corruptionSamples(List<String> samples) {
    if (!samples.isEmpty()) {
      out.append("\ncorrupted lines (first ").append(samples.size()).append("):\n");
      samples.forEach(x -> out.append("  ").append(x).append('\n'));
    }
  }

  void duplicateSamples(List<String> samples) {
    if (!samples.isEmpty()) {
      out.append("\nduplicated lines, where each run of them began (first ").append(samples.size()).append("):\n");
      samples.forEach(x -> out.append("  ").append(x).append('\n'));
    }
  }

  void note(String line) {
    out.append('\n').append(line).append('\n');
  }

  void fail(String failure) {
    failures.add(failure);
  }

  List<String> failures() {
    return failures;
  }

  String text() {
    StringBuilder b = new StringBuilder(out);
    b.append(failures.isEmpty() ? "\nPASS\n" : "\nFAIL: " + String.join("; ", failures) + "\n");
    b.append(failures.isEmpty() ? "soak: 1 passed, 0 failed\n" : "soak: 0 passed, 1 failed\n");
    return b.toString();
  }
}
