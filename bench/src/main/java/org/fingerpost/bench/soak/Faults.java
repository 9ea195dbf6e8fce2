package org.fingerpost.bench.soak;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The faults the soak injects, one at a time, and the measurement of the recovery from each.
 *
 * <p>Which daemon a fault hits is fixed per cycle so that the figures compare: the first gateway of
 * each zone is the one killed, the second the one stopped, so the other keeps one incarnation for
 * the growth figures. Waits inside a fault are its duration (the schedule), not synchronisation.
 *
 * <p>Threads: the soak's main thread.
 */
final class Faults {
  /** The kinds, in the order a cycle runs them. */
  enum Kind {
    GATEWAY_KILL_A("gateway kill -9 + restart (zone A, the clients' gateway)"),
    STREAMER_KILL("streamer kill -9 + restart"),
    GATEWAY_STOP("gateway SIGSTOP, then SIGCONT (from SIGCONT)"),
    ZOOKEEPER_KILL("ZooKeeper member kill -9 + restart"),
    PARTITION("zone partition: zone B's link down (from heal)"),
    GATEWAY_KILL_B("gateway kill -9 + restart (zone B, TLS relay hop)"),
    SESSION_EXPIRY("ZooKeeper session expiry of a streamer (from SIGCONT)"),
    SLOW_VIEWERS("slow viewers + 2 MiB bursts (from the end of the slow phase)");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** One injected fault: its kind, the daemon or zone it hit, its recovery times. */
  record Result(Kind kind, String target, Recovery.Times times, String detail) {}

  private final Processes processes;
  private final SoakSettings settings;
  private final Recovery recovery;
  private final LogWriter writer;
  private final List<Viewer> viewers;

  Faults(Processes processes, SoakSettings settings, Recovery recovery, LogWriter writer, List<Viewer> viewers) {
    this.processes = processes;
    this.settings = settings;
    this.recovery = recovery;
    this.writer = writer;
    this.viewers = viewers;
  }

  /** Seconds the fault itself lasts (before the recovery is measured). */
  int durationSeconds(Kind kind) {
    switch (kind) {
      case GATEWAY_STOP:
        return settings.stopSeconds();
      case PARTITION:
        return settings.partitionSeconds();
      case SESSION_EXPIRY:
        return settings.sessionTimeoutSeconds() + 4;
      case SLOW_VIEWERS:
        return settings.slowSeconds();
      default:
        return 0;
    }
  }

  Result inject(Kind kind, int cycle) throws IOException, InterruptedException {
    List<String> touched = new ArrayList<>();
    String target;
    long[] sizes = recovery.sizes();
    long end = System.nanoTime();
    switch (kind) {
      case GATEWAY_KILL_A:
      case GATEWAY_KILL_B:
        target = processes.list(kind == Kind.GATEWAY_KILL_A ? "gateways.a" : "gateways.b").get(0);
        processes.killAndRestart(target);
        break;
      case STREAMER_KILL:
        target = processes.list("streamers").get(cycle % 2);
        processes.killAndRestart(target);
        break;
      case ZOOKEEPER_KILL:
        target = zkTarget(cycle);
        processes.killAndRestart(target);
        break;
      case GATEWAY_STOP:
        target = processes.list(cycle % 2 == 0 ? "gateways.a" : "gateways.b").get(1);
        stopFor(target, settings.stopSeconds());
        break;
      case SESSION_EXPIRY:
        target = processes.list("streamers").get((cycle + 1) % 2);
        stopFor(target, durationSeconds(kind));
        break;
      case PARTITION:
        target = "zone B";
        processes.partition(true);
        try {
          Thread.sleep(settings.partitionSeconds() * 1000L);
        } finally {
          processes.partition(false);
        }
        touched.addAll(processes.list("gateways.b"));
        touched.addAll(processes.list("streamers"));
        break;
      case SLOW_VIEWERS:
        target = slowPhase();
        break;
      default:
        throw new IllegalArgumentException(kind.name());
    }
    if (durationSeconds(kind) > 0) {
      // Faults that last: recovery counts from their end (SIGCONT, heal, full speed again).
      sizes = recovery.sizes();
      end = System.nanoTime();
    }
    if (touched.isEmpty() && !target.contains(" ")) {
      touched.add(target);
    }
    Recovery.Times times = recovery.await(end, sizes, true, touched);
    return new Result(kind, target, times, times.lateClients());
  }

  private String zkTarget(int cycle) {
    String leader = processes.zkLeader();
    if (cycle % 2 == 0) {
      return leader;
    }
    return processes.list("zookeeper").stream().filter(z -> !z.equals(leader)).findFirst().orElse(leader);
  }

  private void stopFor(String name, int seconds) throws IOException, InterruptedException {
    processes.signal(name, "STOP");
    try {
      Thread.sleep(seconds * 1000L);
    } finally {
      processes.signal(name, "CONT");
    }
  }

  /** Every tenth client of each kind reads at 16 KiB/s for the slow phase; their builds get a burst at its start. */
  private String slowPhase() throws IOException, InterruptedException {
    Set<BuildLog> bursts = new LinkedHashSet<>();
    int slow = 0;
    for (Viewer v : viewers) {
      // Finger clients 0, 10, ... read zone A's builds; viewers 5, 15, ... zone B's.
      if ((v.id + (v instanceof WsViewer ? 5 : 0)) % 10 == 0) {
        v.slow = true;
        bursts.add(v.check.log());
        slow++;
      }
    }
    for (BuildLog b : bursts) {
      writer.burst(b, settings.burstBytes());
    }
    try {
      Thread.sleep(settings.slowSeconds() * 1000L);
    } finally {
      for (Viewer v : viewers) {
        v.slow = false;
      }
    }
    return slow + " clients, " + bursts.size() + " builds";
  }
}
