package org.fingerpost.webapp.auth;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One {@code [auth <name>]} section of zuul.conf (or its YAML / WAR equivalent), checked: the keys of
 * Zuul's {@code zuul/driver/auth/jwt.py}. Immutable.
 *
 * <p>Drivers: {@code HS256} ({@code secret}), {@code RS256} ({@code public_key}: a PEM file),
 * {@code OpenIDConnect} ({@code keys_url}, else discovery at {@code issuer_id}); {@code RS256withJWKS}
 * is Zuul's deprecated alias of {@code OpenIDConnect}. Common: {@code issuer_id} (required),
 * {@code authority} (default {@code issuer_id}), {@code client_id}, {@code audience} (default
 * {@code client_id}), {@code realm}, {@code uid_claim} ({@code sub}), {@code skew} (seconds, 0),
 * {@code max_validity_time} (seconds, unlimited), {@code allow_authz_override}, {@code default};
 * {@code scope} and {@code load_user_info} (OpenIDConnect, reported to clients only).
 */
public final class AuthenticatorSettings {
  /**
   * Keys Zuul knows (the catalogue's {@code auth <name>} keys); others are refused at start so that a
   * typo does not weaken a check.
   */
  static final Set<String> KEYS = org.fingerpost.config.Keys.namedKeys(org.fingerpost.config.Keys.AUTH);

  /** The keys an {@code [auth <name>]} section may have. */
  public static Set<String> keys() {
    return KEYS;
  }

  public enum Driver { HS256, RS256, OPENID_CONNECT }

  private final String name;
  private final Driver driver;
  private final Map<String, String> values;
  private final boolean deprecatedAlias;

  private AuthenticatorSettings(String name, Driver driver, Map<String, String> values, boolean deprecatedAlias) {
    this.name = name;
    this.driver = driver;
    this.values = values;
    this.deprecatedAlias = deprecatedAlias;
  }

  /**
   * Checks one section.
   *
   * @throws IllegalArgumentException naming the section and key
   */
  public static AuthenticatorSettings of(String name, Map<String, String> section) {
    Map<String, String> v = new TreeMap<>();
    section.forEach((k, value) -> v.put(k.toLowerCase(Locale.ROOT).trim(), value == null ? null : value.trim()));
    for (String k : v.keySet()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("[auth " + name + "]: unknown key '" + k + "'");
      }
    }
    String d = v.get("driver");
    if (d == null || d.isEmpty()) {
      throw new IllegalArgumentException("[auth " + name + "]: 'driver' is required (HS256, RS256, OpenIDConnect)");
    }
    Driver driver;
    boolean alias = false;
    switch (d) {
      case "HS256" -> driver = Driver.HS256;
      case "RS256" -> driver = Driver.RS256;
      case "OpenIDConnect" -> driver = Driver.OPENID_CONNECT;
      case "RS256withJWKS" -> {
        driver = Driver.OPENID_CONNECT;
        alias = true;
      }
      default -> throw new IllegalArgumentException("[auth " + name + "]: unknown driver '" + d + "'");
    }
    AuthenticatorSettings c = new AuthenticatorSettings(name, driver, v, alias);
    c.require("issuer_id");
    if (driver == Driver.HS256) {
      c.require("secret");
    } else if (driver == Driver.RS256) {
      c.require("public_key");
    }
    c.skew();
    c.maxValidityTime();
    return c;
  }

  private void require(String key) {
    String s = values.get(key);
    if (s == null || s.isEmpty()) {
      throw new IllegalArgumentException("[auth " + name + "]: '" + key + "' is required by driver " + driver);
    }
  }

  public String name() {
    return name;
  }

  public Driver driver() {
    return driver;
  }

  /** Zuul's name of the driver, as reported in capabilities. */
  public String driverName() {
    return switch (driver) {
      case HS256 -> "HS256";
      case RS256 -> "RS256";
      case OPENID_CONNECT -> "OpenIDConnect";
    };
  }

  /** Whether the section used the deprecated {@code RS256withJWKS}. */
  public boolean deprecatedAlias() {
    return deprecatedAlias;
  }

  public String get(String key) {
    String s = values.get(key);
    return s == null || s.isEmpty() ? null : s;
  }

  public String issuer() {
    return get("issuer_id");
  }

  public String authority() {
    return get("authority") != null ? get("authority") : issuer();
  }

  public String clientId() {
    return get("client_id");
  }

  /** The expected {@code aud}; null: not checked (as PyJWT with no audience). */
  public String audience() {
    return get("audience") != null ? get("audience") : clientId();
  }

  public String realm() {
    return get("realm");
  }

  public String uidClaim() {
    return get("uid_claim") != null ? get("uid_claim") : "sub";
  }

  /** Tolerated clock difference. */
  public Duration skew() {
    String s = get("skew");
    try {
      return Duration.ofSeconds(s == null ? 0 : Long.parseLong(s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("[auth " + name + "]: skew must be an integer (seconds), not '" + s + "'");
    }
  }

  /** Longest accepted age of a token ({@code now - iat}); null: unlimited. */
  public Duration maxValidityTime() {
    String s = get("max_validity_time");
    if (s == null) {
      return null;
    }
    try {
      return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("[auth " + name + "]: max_validity_time must be a number (seconds), not '"
          + s + "'");
    }
  }

  public boolean allowAuthzOverride() {
    return bool("allow_authz_override");
  }

  public boolean isDefault() {
    return bool("default");
  }

  private boolean bool(String key) {
    String s = get(key);
    // Zuul's any_to_bool: true/yes/1/on (case-insensitive).
    return s != null && Set.of("true", "yes", "1", "on").contains(s.toLowerCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return "[auth " + name + "] " + driverName() + " issuer " + issuer(); // never the secret
  }
}
