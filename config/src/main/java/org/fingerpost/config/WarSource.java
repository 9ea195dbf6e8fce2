package org.fingerpost.config;

import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The WAR's sources: each key as {@code fingerpost.<section>.<key>} (for example {@code
 * fingerpost.zookeeper.hosts}) is looked up as a system property, then as an environment variable
 * ({@code FINGERPOST_ZOOKEEPER_HOSTS}), then as a servlet context parameter; the first one set wins,
 * else the default. Authenticators: {@code fingerpost.auth.names} (comma-separated), then {@code
 * fingerpost.auth.<name>.<key>}; webhook connections: {@code fingerpost.connection.<name>.<key>} among
 * the system property and context parameter names (the name may contain dots, the key does not).
 * Stateless.
 */
final class WarSource {
  /** The prefix of the WAR's keys. */
  static final String PREFIX = "fingerpost.";
  /** The key naming the authenticators. */
  static final String AUTH_NAMES = PREFIX + Keys.AUTH + ".names";
  /** The prefix of the webhook connection keys. */
  static final String CONNECTION_PREFIX = PREFIX + Keys.CONNECTION + ".";

  /** A value and where it came from. */
  record Found(String text, String source) {}

  /** The sources in precedence order. */
  interface Lookup extends Function<String, Found> {}

  private WarSource() {}

  /** {@code fingerpost.zookeeper.hosts} -> {@code FINGERPOST_ZOOKEEPER_HOSTS}. */
  static String envName(String property) {
    return property.replace('.', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * Reads every catalogue key, the authenticators and the connections through {@code lookup} into
   * {@code b}; {@code names} are the property and parameter names (for the connections).
   *
   * @throws ConfigException naming the source (system property, environment variable or context
   *     parameter, with its name), section and key of a value of the wrong type
   */
  static void read(Lookup lookup, Set<String> names, Configuration.Builder b) throws ConfigException {
    for (Key key : Keys.all()) {
      if (key.named()) {
        continue;
      }
      Found f = lookup.apply(key.property());
      if (f != null) {
        b.set(f.source(), key.section(), key.name(), f.text());
      }
    }
    Found authNames = lookup.apply(AUTH_NAMES);
    if (authNames != null) {
      for (String raw : authNames.text().split(",")) {
        String name = raw.trim();
        if (name.isEmpty()) {
          continue;
        }
        b.namedSection(Keys.AUTH, name);
        for (String key : Keys.namedKeys(Keys.AUTH)) {
          Found f = lookup.apply(PREFIX + Keys.AUTH + "." + name + "." + key);
          if (f != null) {
            b.setNamed(f.source(), Keys.AUTH, name, key, f.text());
          }
        }
      }
    }
    for (String name : new java.util.TreeSet<>(names)) {
      String rest = name.startsWith(CONNECTION_PREFIX) ? name.substring(CONNECTION_PREFIX.length()) : "";
      int dot = rest.lastIndexOf('.');
      Found f = dot <= 0 ? null : lookup.apply(name);
      if (f != null) {
        b.setNamed(f.source(), Keys.CONNECTION, rest.substring(0, dot), rest.substring(dot + 1), f.text());
      }
    }
  }
}
