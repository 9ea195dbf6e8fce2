package org.fingerpost.webapp.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The {@code access} section: where tenant rules come from and the limits of key fetching. Immutable.
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><td>{@code tenant_config}</td><td>unset: Zuul's rules from ZooKeeper ({@code /zuul/system/conf});
 *       a path: a file in Zuul's {@code main.yaml} syntax ({@code authorization-rule}, {@code tenant},
 *       {@code api-root} entries), for use without Zuul</td></tr>
 *   <tr><td>{@code rules_wait}</td><td>seconds a request waits for rules not known yet (start, ZooKeeper
 *       down) before it is refused; {@value #DEFAULT_RULES_WAIT_S}</td></tr>
 *   <tr><td>{@code jwks_min_refetch}</td><td>seconds between two fetches of a provider's keys caused by
 *       unknown key ids; {@value #DEFAULT_JWKS_MIN_REFETCH_S}</td></tr>
 *   <tr><td>{@code jwks_max_age}</td><td>seconds a fetched key set is used before it is fetched again;
 *       {@value #DEFAULT_JWKS_MAX_AGE_S}</td></tr>
 *   <tr><td>{@code jwks_fetch_timeout}</td><td>seconds per HTTP request to a provider;
 *       {@value #DEFAULT_JWKS_FETCH_TIMEOUT_S}</td></tr>
 * </table>
 */
public final class AccessSettings {
  public static final long DEFAULT_RULES_WAIT_S = 10;
  public static final long DEFAULT_JWKS_MIN_REFETCH_S = 30;
  public static final long DEFAULT_JWKS_MAX_AGE_S = 3600;
  public static final long DEFAULT_JWKS_FETCH_TIMEOUT_S = 10;
  /** The catalogue's {@code access} keys. */
  static final Set<String> KEYS = org.fingerpost.config.Keys.all().stream()
      .filter(k -> k.section().equals(org.fingerpost.config.Keys.ACCESS)).map(org.fingerpost.config.Key::name)
      .collect(java.util.stream.Collectors.toUnmodifiableSet());

  /** The keys of the {@code access} section. */
  public static Set<String> keys() {
    return KEYS;
  }

  private final Path tenantConfig;
  private final Duration rulesWait;
  private final Duration jwksMinRefetch;
  private final Duration jwksMaxAge;
  private final Duration jwksFetchTimeout;

  private AccessSettings(Map<String, String> section) {
    for (String k : section.keySet()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("[access]: unknown key '" + k + "'");
      }
    }
    String tc = section.get("tenant_config");
    this.tenantConfig = tc == null || tc.isBlank() ? null : Path.of(tc.trim());
    this.rulesWait = seconds(section, "rules_wait", DEFAULT_RULES_WAIT_S, true);
    this.jwksMinRefetch = seconds(section, "jwks_min_refetch", DEFAULT_JWKS_MIN_REFETCH_S, true);
    this.jwksMaxAge = seconds(section, "jwks_max_age", DEFAULT_JWKS_MAX_AGE_S, false);
    this.jwksFetchTimeout = seconds(section, "jwks_fetch_timeout", DEFAULT_JWKS_FETCH_TIMEOUT_S, false);
  }

  /** @throws IllegalArgumentException naming the key */
  public static AccessSettings of(Map<String, String> section) {
    return new AccessSettings(section);
  }

  public static AccessSettings defaults() {
    return new AccessSettings(Map.of());
  }

  private static Duration seconds(Map<String, String> s, String key, long def, boolean zeroOk) {
    String v = s.get(key);
    if (v == null || v.isBlank()) {
      return Duration.ofSeconds(def);
    }
    double d;
    try {
      d = Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("[access]: " + key + " must be a number of seconds, not '" + v + "'");
    }
    if (d < 0 || (!zeroOk && d == 0)) {
      throw new IllegalArgumentException("[access]: " + key + " must be " + (zeroOk ? ">= 0" : "> 0") + ", not " + v);
    }
    return Duration.ofMillis(Math.round(d * 1000));
  }

  /** The rules file, or null for Zuul's rules in ZooKeeper. */
  public Path tenantConfig() {
    return tenantConfig;
  }

  public Duration rulesWait() {
    return rulesWait;
  }

  public Duration jwksMinRefetch() {
    return jwksMinRefetch;
  }

  public Duration jwksMaxAge() {
    return jwksMaxAge;
  }

  public Duration jwksFetchTimeout() {
    return jwksFetchTimeout;
  }
}
