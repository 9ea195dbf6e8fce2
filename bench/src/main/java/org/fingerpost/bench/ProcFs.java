package org.fingerpost.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Figures of a process and of the host's sockets, read from Linux's {@code /proc}; stateless. JDK only
 * (with {@link ThreadCpu}): {@code bench/soak} compiles it beside its load generator.
 */
public final class ProcFs {
  private ProcFs() {}

  /** The first number of a field of {@code /proc/<pid>/status} (kB of {@code VmRSS}, ...); -1 if absent. */
  public static long status(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  static long cpuTicks(long pid) throws IOException {
    long[] t = ThreadCpu.userSystemTicks(Files.readString(Path.of("/proc/" + pid + "/stat")));
    return t[0] + t[1];
  }

  public static int fdCount(long pid) throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
      return (int) s.count();
    }
  }

  static int fdLimit(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
      if (line.startsWith("Max open files")) {
        return Integer.parseInt(line.substring("Max open files".length()).trim().split("\\s+")[0]);
      }
    }
    return 1024;
  }

  /** Established loopback TCP connections whose remote port is one of {@code ports}. */
  static long established(List<Integer> ports) throws IOException {
    long n = 0;
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(file);
      if (!Files.exists(p)) {
        continue;
      }
      for (String line : Files.readAllLines(p)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 4 || !f[3].equals("01")) {
          continue;
        }
        int remPort = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
        if (ports.contains(remPort)) {
          n++;
        }
      }
    }
    return n;
  }
}
