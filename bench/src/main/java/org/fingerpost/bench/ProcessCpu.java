package org.fingerpost.bench;

/** CPU of one process (cores) since it was made, from {@code /proc}; NaN for pid -1 or when unreadable. */
final class ProcessCpu {
  private final long pid;
  private final long startTicks;
  private final long startNanos = System.nanoTime();

  ProcessCpu(long pid) {
    this.pid = pid;
    this.startTicks = ticks();
  }

  /** This process's. */
  static ProcessCpu self() {
    return new ProcessCpu(ProcessHandle.current().pid());
  }

  double cores() {
    long now = ticks();
    if (now < 0 || startTicks < 0) {
      return Double.NaN;
    }
    return (now - startTicks) / ThreadCpu.TICKS_PER_SECOND / ((System.nanoTime() - startNanos) / 1e9);
  }

  private long ticks() {
    try {
      return pid < 0 ? -1 : ProcFs.cpuTicks(pid);
    } catch (java.io.IOException e) {
      return -1;
    }
  }
}
