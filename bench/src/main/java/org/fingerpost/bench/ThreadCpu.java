package org.fingerpost.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of this process by thread name, from {@code /proc/self/task/<tid>/stat}, to say where a
 * benchmark phase spent the machine's cores (the web node's fan-out, the viewers, the JIT, GC).
 * Thread names are grouped with their digits removed ({@code qtp123-45} counts as {@code qtpN-N}).
 */
final class ThreadCpu {
  /** Clock ticks per second of {@code /proc} times (USER_HZ, 100 on Linux). */
  static final double TICKS_PER_SECOND = 100.0;

  private final Path tasks;
  private final Map<String, long[]> start;
  private final long startNanos = System.nanoTime();

  /** Counts from now, for this process. */
  ThreadCpu() {
    this(Path.of("/proc/self/task"));
  }

  /** Counts from now, for process {@code pid} (another JVM, such as a web node of its own). */
  ThreadCpu(long pid) {
    this(Path.of("/proc/" + pid + "/task"));
  }

  private ThreadCpu(Path tasks) {
    this.tasks = tasks;
    this.start = sample();
  }

  /** The CPU used since this object was made, as "N cores: name user/sys s, ..." (largest first). */
  String report(double minSeconds) {
    double wall = (System.nanoTime() - startNanos) / 1e9;
    Map<String, long[]> byName = new TreeMap<>();
    long total = 0;
    for (Map.Entry<String, long[]> e : sample().entrySet()) {
      long[] before = start.getOrDefault(e.getKey(), new long[2]);
      long user = e.getValue()[0] - before[0];
      long sys = e.getValue()[1] - before[1];
      total += user + sys;
      String name = e.getKey().substring(e.getKey().indexOf(' ') + 1).replaceAll("[0-9]+", "N");
      byName.merge(name, new long[] {user, sys}, (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
    }
    StringBuilder out = new StringBuilder(String.format("%.2f cores over %.1f s", total / TICKS_PER_SECOND / wall, wall));
    byName.entrySet().stream()
        .filter(e -> (e.getValue()[0] + e.getValue()[1]) / TICKS_PER_SECOND >= minSeconds)
        .sorted((a, b) -> Long.compare(b.getValue()[0] + b.getValue()[1], a.getValue()[0] + a.getValue()[1]))
        .forEach(e -> out.append(String.format("; %s user %.2f s sys %.2f s", e.getKey(),
            e.getValue()[0] / TICKS_PER_SECOND, e.getValue()[1] / TICKS_PER_SECOND)));
    return out.toString();
  }

  /** {utime, stime} of a {@code /proc/.../stat} line: fields 14 and 15 of proc(5). */
  static long[] userSystemTicks(String stat) {
    // The command name may hold spaces and parentheses: count fields from after its last ')'.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  /** "tid name" -> {user ticks, system ticks}; empty where /proc is missing. */
  private Map<String, long[]> sample() {
    Map<String, long[]> ticks = new HashMap<>();
    try (Stream<Path> list = Files.list(tasks)) {
      list.forEach(task -> {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          ticks.put(task.getFileName() + " " + name, userSystemTicks(stat));
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      });
    } catch (IOException noProc) {
      // not Linux: no breakdown
    }
    return ticks;
  }
}
