package org.fingerpost.bench.soak;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures a recovery from a moment (a fault's end): when every client has received bytes written
 * after that moment (the builds append a line every 0.15-0.4 s, so a client that is served again
 * passes its build's size of that moment within a line's time), and, separately, when every daemon
 * the fault touched serves again (a restarted JVM takes longer to listen than clients take to go to
 * the other gateway). The figures include ordinary latency: about the time between two lines.
 *
 * <p>Threads: the soak's main thread.
 */
final class Recovery {
  private static final long POLL_MILLIS = 50;
  /** Clients still behind this long after a fault are named in the progress output. */
  private static final long LATE_MILLIS = 5_000;

  /** Milliseconds until the clients were whole and until the daemons served; -1: not within the timeout. */
  record Times(long clientsMillis, long daemonsMillis, String lateClients) {
    boolean recovered() {
      return clientsMillis >= 0 && daemonsMillis >= 0;
    }
  }

  private final List<Viewer> viewers;
  private final List<BuildLog> builds;
  private final Processes processes;
  private final long timeoutNanos;

  Recovery(List<Viewer> viewers, List<BuildLog> builds, Processes processes, int timeoutSeconds) {
    this.viewers = viewers;
    this.builds = builds;
    this.processes = processes;
    this.timeoutNanos = TimeUnit.SECONDS.toNanos(timeoutSeconds);
  }

  /** Each build's size now. */
  long[] sizes() {
    long[] sizes = new long[builds.size()];
    for (BuildLog b : builds) {
      sizes[b.index] = b.size();
    }
    return sizes;
  }

  /**
   * Waits until every client is past {@code targets} (beyond them when {@code beyond}, else at
   * least at them) and every daemon of {@code daemons} is healthy, or the timeout passed.
   */
  Times await(long sinceNanos, long[] targets, boolean beyond, List<String> daemons) throws InterruptedException {
    long clients = -1;
    long served = daemons.isEmpty() ? 0 : -1;
    String late = "";
    while (System.nanoTime() - sinceNanos < timeoutNanos && (clients < 0 || served < 0)) {
      long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNanos);
      if (clients < 0 && behind(targets, beyond) == 0) {
        clients = elapsed;
      }
      if (served < 0 && daemons.stream().allMatch(processes::healthy)) {
        served = elapsed;
      }
      if (clients < 0 && late.isEmpty() && elapsed > LATE_MILLIS) {
        late = "after " + LATE_MILLIS + " ms " + laggards(targets, beyond);
      }
      Thread.sleep(POLL_MILLIS); // polling the clients' positions: the measurement's resolution
    }
    return new Times(clients, served, late);
  }

  private int behind(long[] targets, boolean beyond) {
    int n = 0;
    for (Viewer v : viewers) {
      long at = v.check.position();
      long target = targets[v.check.log().index];
      if (beyond ? at <= target : at < target) {
        n++;
      }
    }
    return n;
  }

  /** The clients still behind {@code targets}, for the report of a failed recovery. */
  String laggards(long[] targets, boolean beyond) {
    StringBuilder b = new StringBuilder();
    int n = 0;
    for (Viewer v : viewers) {
      BuildLog log = v.check.log();
      long at = v.check.position();
      if ((beyond ? at <= targets[log.index] : at < targets[log.index]) && n++ < 5) {
        b.append(String.format(" %s#%d(build %d %s, has %d of %d)", v.getClass().getSimpleName(), v.id,
            log.index, log.zone, at, targets[log.index]));
      }
    }
    return n + " clients behind:" + b;
  }
}
