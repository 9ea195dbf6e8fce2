package org.fingerpost.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU time from the first line of Linux's {@code /proc/stat}: how busy all cores
 * were between two readings, whichever process used them. Shows whether a path was bound by the CPU
 * (every core busy) or waited on something. Stateless, JDK only.
 */
final class MachineCpu {
  private static final Path STAT = Path.of("/proc/stat");

  private MachineCpu() {}

  /**
   * {busy, total} ticks (USER_HZ) since boot: total is user, nice, system, idle, iowait, irq and softirq,
   * busy all of those but idle and iowait. Steal (time the hypervisor gave to other machines) is in
   * neither: it is time this machine did not have.
   */
  static long[] ticks() throws IOException {
    String[] f = Files.readAllLines(STAT).get(0).trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < f.length && i <= 7; i++) { // "cpu" user nice system idle iowait irq softirq
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    return new long[] {total - idle, total};
  }

  /** Share of all cores' time (0..1) that was busy between two {@link #ticks()} readings. */
  static double busyShare(long[] before, long[] after) {
    long total = after[1] - before[1];
    return total <= 0 ? Double.NaN : (double) (after[0] - before[0]) / total;
  }
}
