package org.fingerpost.bench.soak;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fingerpost.bench.ProcFs;

/**
 * Samples every daemon's resident memory, open files and threads from {@code /proc} every
 * {@value #PERIOD_SECONDS} s, and the load generator's own, for the growth figures of the report.
 *
 * <p>Threads: one scheduler thread samples; {@link #samples} is read after {@link #stop}.
 */
final class ProcSampler {
  static final int PERIOD_SECONDS = 5;

  /** One sample of one process; {@code atMillis} counts from the start of the load phase. */
  record Sample(long atMillis, long pid, long rssKb, int openFiles, int threads) {}

  private final Processes processes;
  private final long startNanos;
  private final Map<String, List<Sample>> samples = new LinkedHashMap<>();
  /**
   * Per daemon: live heap (KiB, {@link HeapProbe}) near the start and at the end of the load phase, and
   * once every client caught up (nothing in flight: what is left is kept state, or a leak).
   */
  private final Map<String, long[]> liveHeaps = new LinkedHashMap<>();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "proc-sampler"));

  ProcSampler(Processes processes, long startNanos) {
    this.processes = processes;
    this.startNanos = startNanos;
  }

  /** Samples from now on; probes every daemon's live heap once {@code firstHeapMillis} after the start. */
  void start(long firstHeapMillis) {
    thread.scheduleAtFixedRate(this::sampleAll, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
    thread.schedule(() -> probeHeaps(0), firstHeapMillis, TimeUnit.MILLISECONDS);
  }

  /** Probes every daemon's live heap into {@code slot} (0: near the start, 1: at the end, 2: drained). */
  void probeHeaps(int slot) {
    List<String> names;
    try {
      names = processes.names();
    } catch (IOException e) {
      return; // no daemons listed: nothing to probe
    }
    for (String name : names) {
      long kb;
      try {
        kb = HeapProbe.liveHeapKb(processes.pid(name));
      } catch (IOException | RuntimeException e) {
        kb = -1; // restarting
      }
      synchronized (samples) {
        liveHeaps.computeIfAbsent(name, n -> new long[] {-1, -1, -1})[slot] = kb;
      }
    }
  }

  private void sampleAll() {
    long at = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    try {
      for (String name : processes.names()) {
        sample(name, processes.pid(name), at);
      }
      sample("load generator", ProcessHandle.current().pid(), at);
    } catch (IOException | RuntimeException e) {
      // a pid file being rewritten by a restart: the next sample has it
    }
  }

  private void sample(String name, long pid, long at) {
    try {
      long rss = ProcFs.status(pid, "VmRSS");
      int threads = (int) ProcFs.status(pid, "Threads");
      int files = ProcFs.fdCount(pid);
      synchronized (samples) {
        samples.computeIfAbsent(name, n -> new ArrayList<>()).add(new Sample(at, pid, rss, files, threads));
      }
    } catch (IOException | RuntimeException e) {
      // the process is restarting (gone between the pid file and /proc): no sample this time
    }
  }

  void stop() throws InterruptedException {
    thread.shutdown();
    thread.awaitTermination(10, TimeUnit.SECONDS);
  }

  /** Per daemon: live heap KiB near the start, at the end, drained ({@code -1}: not known). */
  Map<String, long[]> liveHeaps() {
    synchronized (samples) {
      return new LinkedHashMap<>(liveHeaps);
    }
  }

  Map<String, List<Sample>> samples() {
    synchronized (samples) {
      return new LinkedHashMap<>(samples);
    }
  }
}
