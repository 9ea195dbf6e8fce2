package org.fingerpost.transport;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The daemon's settings as flat {@code key -> value} strings, handed to {@link LogTransport#start}.
 * Keys are the configuration keys of docs/configuration.md's table for the daemon's section (for example {@code
 * tls_cert}, {@code connect_timeout}); a plugin documents the keys it reads. Immutable.
 */
public final class TransportSettings {

  /** No settings: every transport falls back to its documented defaults. */
  public static final TransportSettings EMPTY = new TransportSettings(Map.of());

  private final Map<String, String> values;

  public TransportSettings(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
  }

  public String get(String key, String fallback) {
    return get(key).orElse(fallback);
  }

  public int getInt(String key, int fallback) {
    return get(key).map(v -> parse(key, v, Integer::parseInt)).orElse(fallback);
  }

  public boolean getBoolean(String key, boolean fallback) {
    return get(key).map(v -> parse(key, v, TransportSettings::parseBoolean)).orElse(fallback);
  }

  /** A duration given in milliseconds. */
  public Duration getMillis(String key, Duration fallback) {
    return get(key).map(v -> Duration.ofMillis(parse(key, v, Long::parseLong))).orElse(fallback);
  }

  public Map<String, String> asMap() {
    return values;
  }

  private static boolean parseBoolean(String v) {
    switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true": case "yes": case "1": case "on": return true;
      case "false": case "no": case "0": case "off": return false;
      default: throw new IllegalArgumentException("not a boolean");
    }
  }

  private static <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(value.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("Invalid value for " + key + ": '" + value + "'", e);
    }
  }

  @Override
  public String toString() {
    return values.keySet().toString();
  }
}
