package org.fingerpost.bench.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Appends lines to every build at a steady rate (as running builds do), every {@value #TICK_MILLIS}
 * ms, and bursts on request (a test dumping its output at once).
 *
 * <p>Threads: one scheduler thread of its own appends; {@link #burst} appends on the caller's thread
 * ({@link BuildLog#append} is serialised per build).
 */
final class LogWriter {
  private static final long TICK_MILLIS = 100;

  private final List<BuildLog> builds;
  private final double linesPerTick;
  private final double[] credit;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "log-writer"));

  LogWriter(List<BuildLog> builds, double linesPerSecond) {
    this.builds = builds;
    this.linesPerTick = linesPerSecond * TICK_MILLIS / 1000;
    this.credit = new double[builds.size()];
  }

  /** Writes each build's first line now, then keeps appending. */
  void start() throws IOException {
    for (BuildLog b : builds) {
      b.append(1, 0);
    }
    thread.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      for (int i = 0; i < builds.size(); i++) {
        // Builds start at different phases so that their writes do not all fall on one tick.
        credit[i] += linesPerTick * (0.5 + (i % 10) / 10.0);
        long n = (long) credit[i];
        if (n > 0) {
          credit[i] -= n;
          builds.get(i).append(n, 0);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void burst(BuildLog build, int bytes) throws IOException {
    build.append(1, bytes);
  }

  /** Stops appending; returns when the last tick is done. */
  void stop() throws InterruptedException {
    thread.shutdown();
    if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("log writer did not stop");
    }
  }
}
