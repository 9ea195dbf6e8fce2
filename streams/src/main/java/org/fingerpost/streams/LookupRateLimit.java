package org.fingerpost.streams;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The per-client limit on build lookups of a gateway or web node (docs/operations.md "Lookup rate
 * limit"): a token bucket per client address holding up to {@link #burst()} lookups, refilled at
 * {@link #perSecond()} a second. Each request for a build (a finger request, a console-stream
 * websocket) takes one token; a client with none left is refused ({@value #REFUSAL} for finger,
 * close 1013 for a websocket) without a lookup. The defaults are far above what a person or a web
 * node's relaying reaches; they stop a client that asks for thousands of random ids.
 *
 * <p>Memory is bounded: beyond {@link #MAX_TRACKED_CLIENTS} addresses the buckets that are full again
 * (their client has been quiet) are forgotten. Thread-safe and lock-free apart from the map's bins.
 */
public final class LookupRateLimit {
  /** What a refused finger client reads before the close (no newline, like every finger error). */
  public static final String REFUSAL = "Too many requests";
  /** Default refill, in lookups per second per client address. */
  public static final double DEFAULT_PER_SECOND = 50;
  /** Default bucket size, in lookups: a burst one client may make at once. */
  public static final int DEFAULT_BURST = 1000;
  /** Client addresses tracked before full buckets are forgotten. */
  public static final int MAX_TRACKED_CLIENTS = 100_000;

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final double perSecond;
  private final int burst;
  private final LongSupplier clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  private LookupRateLimit(double perSecond, int burst, LongSupplier clock) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.clock = clock;
  }

  /**
   * @param perSecond lookups a second per client; 0 switches the limit off
   * @param burst lookups a client may make at once, at least 1 when the limit is on
   * @throws IllegalArgumentException naming the key ({@code lookup_rate}, {@code lookup_burst})
   */
  public static LookupRateLimit of(double perSecond, int burst) {
    return of(perSecond, burst, System::nanoTime);
  }

  /** As {@link #of(double, int)} with a clock in nanoseconds (tests). */
  static LookupRateLimit of(double perSecond, int burst, LongSupplier clock) {
    if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("lookup_rate must be 0 (no limit) or a positive number, not " + perSecond);
    }
    if (perSecond > 0 && burst < 1) {
      throw new IllegalArgumentException("lookup_burst must be at least 1, not " + burst);
    }
    return new LookupRateLimit(perSecond, burst, clock);
  }

  /** The documented defaults. */
  public static LookupRateLimit defaults() {
    return of(DEFAULT_PER_SECOND, DEFAULT_BURST);
  }

  /** No limit. */
  public static LookupRateLimit none() {
    return of(0, 0);
  }

  public double perSecond() {
    return perSecond;
  }

  public int burst() {
    return burst;
  }

  /**
   * Takes a token for one lookup by {@code client} (its address, without the port); false when the
   * client has none left and must be refused. Always true when the limit is off.
   */
  public boolean tryAcquire(String client) {
    if (perSecond == 0) {
      return true;
    }
    long now = clock.getAsLong();
    if (buckets.size() >= MAX_TRACKED_CLIENTS) {
      forgetFull(now);
    }
    return buckets.computeIfAbsent(client, c -> new Bucket(burst, now)).take(now, perSecond, burst);
  }

  /** The address part of a {@code host:port} or {@code [v6]:port} text, for {@link #tryAcquire}. */
  public static String host(String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    return colon <= 0 || hostAndPort.indexOf(':') != colon && !hostAndPort.startsWith("[")
        ? hostAndPort : hostAndPort.substring(0, colon);
  }

  private void forgetFull(long now) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      if (it.next().fullAt(now, perSecond, burst)) {
        it.remove();
      }
    }
  }

  /** One client's tokens; its methods synchronise on it (one client's lookups rarely contend). */
  private static final class Bucket {
    private double tokens;
    private long updated;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updated = now;
    }

    synchronized boolean take(long now, double perSecond, int burst) {
      refill(now, perSecond, burst);
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }

    synchronized boolean fullAt(long now, double perSecond, int burst) {
      refill(now, perSecond, burst);
      return tokens >= burst;
    }

    private void refill(long now, double perSecond, int burst) {
      tokens = Math.min(burst, tokens + (now - updated) * perSecond / NANOS_PER_SECOND);
      updated = now;
    }
  }
}
