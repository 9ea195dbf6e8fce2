package org.fingerpost.bench.soak;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What finger clients and websocket viewers share: the check of their bytes, the slow flag the
 * slow-viewer fault sets, the stop flag, and event counters (reconnects, error texts, close codes)
 * shared by all clients of one kind.
 *
 * <p>Threads: the flags are set by the soak's main thread and read by the client's own threads.
 */
abstract class Viewer {
  /** First wait before a reconnect; doubled after each connection that brought nothing, up to the max. */
  static final long RETRY_MILLIS = 250;
  static final long MAX_RETRY_MILLIS = 2_000;
  /** Bytes per second a slow viewer reads. */
  static final int SLOW_BYTES_PER_SECOND = 16 * 1024;
  /** A client whose stream delivered nothing this long while its build grew reconnects, as a person would reload. */
  static final long STALL_MILLIS = Long.getLong("soak.stallMillis", 45_000);

  /**
   * Event counters of all clients of one kind, by the soak's phase (the fault under way, set by the
   * main thread) and event name; thread-safe.
   */
  static final class Events {
    private static volatile String phase = "00 start";
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    static void phase(String name) {
      phase = name;
    }

    static String currentPhase() {
      return phase;
    }

    void add(String event) {
      counts.computeIfAbsent(phase + ": " + event, e -> new LongAdder()).increment();
    }

    Map<String, Long> snapshot() {
      Map<String, Long> m = new TreeMap<>();
      counts.forEach((k, v) -> m.put(k, v.sum()));
      return m;
    }
  }

  final int id;
  final StreamCheck check;
  final Events events;
  volatile boolean slow;
  volatile boolean stopped;

  Viewer(int id, BuildLog log, Events events) {
    this.id = id;
    this.check = new StreamCheck(log);
    this.events = events;
  }

  abstract void start();

  /** Stops reconnecting and closes the current connection. */
  abstract void stop();

  private long retryMillis = RETRY_MILLIS;
  private long positionAtConnect = -1;

  /**
   * The wait before the next connection: back-off while connections bring nothing (a build not found
   * yet, a daemon restarting), as a person or the page would; called by the client's own thread.
   */
  long nextRetryMillis() {
    long at = check.position();
    retryMillis = at > positionAtConnect ? RETRY_MILLIS : Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
    positionAtConnect = at;
    return retryMillis;
  }

  /** True when the client has every byte its build has now. */
  boolean whole(long target) {
    return check.position() >= target;
  }
}
