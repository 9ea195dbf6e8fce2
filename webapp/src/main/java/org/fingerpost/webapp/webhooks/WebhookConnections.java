package org.fingerpost.webapp.webhooks;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fingerpost.registry.events.EventQueues;

/**
 * The webhook configuration: the connections that receive webhooks and the endpoint's limits. Built
 * from plain sections ({@link #fromSections}) so that every configuration reader (zuul.conf, YAML
 * {@code connections:} and {@code webhooks:}, the WAR's parameters) feeds the same type. Immutable.
 */
public final class WebhookConnections {
  /** Section holding the endpoint's limits. */
  public static final String LIMITS_SECTION = "webhooks";
  /** Prefix of the connection sections, as in zuul.conf ({@code [connection github]}). */
  public static final String CONNECTION_PREFIX = "connection ";
  /** Largest request body, in bytes: GitHub caps webhook payloads at 25 MB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 25L * 1024 * 1024;
  /** How long a Pagure project-token lookup may take, in seconds. */
  public static final Duration DEFAULT_TOKEN_LOOKUP_TIMEOUT = Duration.ofSeconds(5);
  /**
   * Whether events arriving while earlier writes are in flight share one ZooKeeper transaction
   * (docs/web-tier.md, "Batched writes"): what lets the queue writer keep up with ZooKeeper's own
   * create rate under a burst (docs/benchmarks.md). A lone event is one create, as zuul-web writes it.
   */
  public static final boolean DEFAULT_BATCH_WRITES = true;

  private static final WebhookConnections NONE = new WebhookConnections(Map.of(), DEFAULT_MAX_BODY_BYTES,
      EventQueues.DEFAULT_PERSIST_TIMEOUT, DEFAULT_TOKEN_LOOKUP_TIMEOUT, DEFAULT_BATCH_WRITES);

  private final Map<String, ConnectionSettings> connections;
  private final long maxBodyBytes;
  private final Duration persistTimeout;
  private final Duration tokenLookupTimeout;
  private final boolean batchWrites;

  private WebhookConnections(Map<String, ConnectionSettings> connections, long maxBodyBytes,
      Duration persistTimeout, Duration tokenLookupTimeout, boolean batchWrites) {
    this.connections = Collections.unmodifiableMap(new LinkedHashMap<>(connections));
    this.maxBodyBytes = maxBodyBytes;
    this.persistTimeout = persistTimeout;
    this.tokenLookupTimeout = tokenLookupTimeout;
    this.batchWrites = batchWrites;
  }

  /** No connection: every {@code /api/connection/<name>/payload} is a 404. */
  public static WebhookConnections none() {
    return NONE;
  }

  /**
   * Reads {@code sections}: each {@code "connection <name>"} section whose {@code driver} is {@code
   * github}, {@code gitlab} or {@code pagure} (others are ignored), and the {@code "webhooks"}
   * section's {@code max_body_bytes}, {@code persist_timeout} and {@code token_lookup_timeout}
   * (seconds) and {@code batch_writes} ({@code true}/{@code false}, default {@value #DEFAULT_BATCH_WRITES}). Other sections
   * are ignored.
   *
   * @throws IllegalArgumentException naming the section and key of a missing or invalid value
   */
  public static WebhookConnections fromSections(Map<String, Map<String, String>> sections) {
    Map<String, ConnectionSettings> connections = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, String>> e : sections.entrySet()) {
      if (e.getKey().startsWith(CONNECTION_PREFIX)) {
        String name = e.getKey().substring(CONNECTION_PREFIX.length()).trim();
        ConnectionSettings c = ConnectionSettings.of(name, e.getValue());
        if (c != null) {
          connections.put(name, c);
        }
      }
    }
    Map<String, String> limits = sections.getOrDefault(LIMITS_SECTION, Map.of());
    long maxBody = (long) number(limits, "max_body_bytes", DEFAULT_MAX_BODY_BYTES);
    if (maxBody <= 0) {
      throw new IllegalArgumentException("[webhooks] max_body_bytes must be positive, not " + maxBody);
    }
    Duration persist = seconds(limits, "persist_timeout", EventQueues.DEFAULT_PERSIST_TIMEOUT);
    Duration lookup = seconds(limits, "token_lookup_timeout", DEFAULT_TOKEN_LOOKUP_TIMEOUT);
    return new WebhookConnections(connections, maxBody, persist, lookup, bool(limits, "batch_writes", DEFAULT_BATCH_WRITES));
  }

  private static boolean bool(Map<String, String> section, String key, boolean fallback) {
    String v = section.getOrDefault(key, Boolean.toString(fallback)).trim();
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException("[webhooks] " + key + " must be true or false, not '" + v + "'");
    }
    return Boolean.parseBoolean(v);
  }

  private static double number(Map<String, String> section, String key, double fallback) {
    String v = section.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("[webhooks] " + key + " must be a number, not '" + v + "'", e);
    }
  }

  private static Duration seconds(Map<String, String> section, String key, Duration fallback) {
    double s = number(section, key, fallback.toMillis() / 1000.0);
    if (s <= 0) {
      throw new IllegalArgumentException("[webhooks] " + key + " must be a positive number of seconds, not " + s);
    }
    return Duration.ofMillis(Math.round(s * 1000));
  }

  /** The connections by name, in configuration order. */
  public Map<String, ConnectionSettings> connections() {
    return connections;
  }

  /** Largest request body accepted, in bytes; larger is refused with 413. */
  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  /** How long persisting one event may take before the sender gets 503. */
  public Duration persistTimeout() {
    return persistTimeout;
  }

  /**
   * Whether, under load, several events go in one ZooKeeper transaction (see {@code
   * EventQueues}): fewer requests for ZooKeeper, but those events share one czxid, which Zuul reads
   * as their ltime. Off by default: one create per event, as zuul-web writes them.
   */
  public boolean batchWrites() {
    return batchWrites;
  }

  /** How long a Pagure project-token lookup may take before the sender gets 503. */
  public Duration tokenLookupTimeout() {
    return tokenLookupTimeout;
  }

  @Override
  public String toString() {
    return "WebhookConnections" + connections.values();
  }
}
