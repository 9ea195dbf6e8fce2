package org.fingerpost.config;

import java.util.Locale;
import java.util.Map;

/**
 * Environment overrides: {@code FINGERPOST_<SECTION>_<KEY>} for every key of a plain section (for
 * example {@code FINGERPOST_ZOOKEEPER_HOSTS}), and authenticators as the WAR names them: {@code
 * FINGERPOST_AUTH_NAMES} (comma-separated), then {@code FINGERPOST_AUTH_<NAME>_<KEY>}. Variables of
 * other prefixes ({@code FINGERPOST_LOG_LEVEL}) are left to their readers. Stateless.
 */
final class EnvironmentSource {
  /** The prefix of environment variables that override keys. */
  static final String PREFIX = "FINGERPOST_";
  /** The variable naming the authenticators whose keys the environment gives. */
  static final String AUTH_NAMES = PREFIX + "AUTH_NAMES";

  private EnvironmentSource() {}

  /**
   * Applies {@code env} to {@code b}.
   *
   * @throws ConfigException naming the variable, section and key of an unknown key of a plain
   *     section or a value of the wrong type
   */
  static void apply(Map<String, String> env, Configuration.Builder b) throws ConfigException {
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      String rest = name.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
      int split = rest.indexOf('_');
      if (split <= 0 || !Keys.sections().contains(rest.substring(0, split))) {
        continue; // FINGERPOST_LOG_LEVEL and friends belong to logging, not to this model
      }
      b.set("environment variable " + name, rest.substring(0, split), rest.substring(split + 1), e.getValue());
    }
    String names = env.get(AUTH_NAMES);
    if (names != null) {
      for (String authName : names.split(",")) {
        readAuth(env, authName.trim(), b);
      }
    }
  }

  private static void readAuth(Map<String, String> env, String authName, Configuration.Builder b) {
    if (authName.isEmpty()) {
      return;
    }
    b.namedSection(Keys.AUTH, authName);
    for (String key : Keys.namedKeys(Keys.AUTH)) {
      String variable = PREFIX + ("auth_" + authName + "_" + key).toUpperCase(Locale.ROOT);
      String v = env.get(variable);
      if (v != null) {
        b.setNamed("environment variable " + variable, Keys.AUTH, authName, key, v);
      }
    }
  }
}
