package org.fingerpost.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.fingerpost.registry.internal.Json;

/**
 * Where a running build's log is served: the {@code worker_info} of a build node, {@code {"hostname":
 * ..., "log_port": ..., "zone": ...}}, plus any other keys the writer added (kept as strings, see
 * {@link #extra()}). Immutable and thread-safe.
 */
public final class WorkerInfo {
  private final String hostname;
  private final int logPort;
  private final String zone;
  private final Map<String, String> extra;

  /**
   * @param hostname the executor's hostname as clients reach it; required
   * @param logPort the streamer's finger port, 1..65535
   * @param zone the executor's zone; null or blank for unzoned
   * @throws IllegalArgumentException when the hostname is blank or the port out of range
   */
  public WorkerInfo(String hostname, int logPort, String zone) {
    this(hostname, logPort, zone, Map.of());
  }

  /**
   * As {@link #WorkerInfo(String, int, String)} with extra keys; keys named {@code hostname}, {@code
   * log_port} or {@code zone} are ignored.
   */
  public WorkerInfo(String hostname, int logPort, String zone, Map<String, String> extra) {
    if (hostname == null || hostname.isBlank()) {
      throw new IllegalArgumentException("worker hostname is required");
    }
    if (logPort <= 0 || logPort > 65535) {
      throw new IllegalArgumentException("worker log_port out of range: " + logPort);
    }
    this.hostname = hostname;
    this.logPort = logPort;
    this.zone = zone == null || zone.isBlank() ? null : zone;
    Map<String, String> copy = new LinkedHashMap<>();
    extra.forEach((k, v) -> {
      if (!isModelled(k) && v != null) {
        copy.put(Objects.requireNonNull(k, "key"), v);
      }
    });
    this.extra = Collections.unmodifiableMap(copy);
  }

  private static boolean isModelled(String key) {
    return "hostname".equals(key) || "log_port".equals(key) || "zone".equals(key);
  }

  /**
   * Reads a {@code worker_info} object; null when it is missing, null or empty (Zuul writes it only
   * once the build started).
   *
   * @throws IllegalArgumentException when it is present but lacks a usable {@code hostname} or
   *     {@code log_port}
   */
  static WorkerInfo fromJson(JsonNode node) {
    if (node == null || !node.isObject() || node.isEmpty()) {
      return null;
    }
    String hostname = Json.string(node.get("hostname"));
    JsonNode port = node.get("log_port");
    int logPort = port != null && port.canConvertToInt() ? port.asInt()
        : port != null && port.isTextual() ? parsePort(port.asText()) : -1;
    if (hostname == null || hostname.isBlank() || logPort <= 0 || logPort > 65535) {
      throw new IllegalArgumentException("worker_info without a usable hostname and log_port: " + node);
    }
    Map<String, String> all = Json.strings(node);
    return new WorkerInfo(hostname, logPort, all.get("zone"), all);
  }

  private static int parsePort(String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The JSON object Zuul expects; {@code zone} is left out when unzoned. */
  ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("hostname", hostname);
    node.put("log_port", logPort);
    if (zone != null) {
      node.put("zone", zone);
    }
    extra.forEach(node::put);
    return node;
  }

  public String hostname() {
    return hostname;
  }

  public int logPort() {
    return logPort;
  }

  /** The executor's zone, or null when unzoned. */
  public String zone() {
    return zone;
  }

  /** The other keys of {@code worker_info}, as strings (lists and objects as JSON text). */
  public Map<String, String> extra() {
    return extra;
  }

  /**
   * All of {@code worker_info} as strings, the modelled keys included: what a {@code StreamTarget}
   * carries as attributes for a direct route.
   */
  public Map<String, String> attributes() {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("hostname", hostname);
    all.put("log_port", Integer.toString(logPort));
    if (zone != null) {
      all.put("zone", zone);
    }
    all.putAll(extra);
    return Collections.unmodifiableMap(all);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof WorkerInfo)) {
      return false;
    }
    WorkerInfo w = (WorkerInfo) o;
    return logPort == w.logPort && hostname.equals(w.hostname) && Objects.equals(zone, w.zone)
        && extra.equals(w.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(hostname, logPort, zone, extra);
  }

  @Override
  public String toString() {
    return hostname + ":" + logPort + (zone != null ? " zone=" + zone : " unzoned");
  }
}
