package org.fingerpost.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One configuration: the values of the catalogue's keys ({@link Keys}) and of the named sections
 * ({@code auth <name>}, {@code connection <name>}), each with the source it came from, layered by
 * precedence (defaults, then a YAML file or zuul.conf, then the environment; the WAR: context
 * parameters, environment, system properties). Build with {@link ConfigLoader}; every value was
 * checked against its key's type when its source was read, so the typed getters do not fail.
 *
 * <p>Immutable and thread-safe. Range checks and required keys belong to the code that turns a
 * configuration into a daemon's settings; it reports them with {@link ConfigException#invalid}.
 */
public final class Configuration {
  /** A value as a source gave it, and that source ({@code /etc/fingerpost.yaml}, {@code environment variable X}). */
  record Value(String text, String source) {}

  private final Map<Key, Value> values;
  private final Map<String, Map<String, Map<String, Value>>> named;

  private Configuration(Builder b) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(b.values));
    Map<String, Map<String, Map<String, Value>>> n = new LinkedHashMap<>();
    b.named.forEach((kind, byName) -> n.put(kind, Collections.unmodifiableMap(byName)));
    this.named = Collections.unmodifiableMap(n);
  }

  /** Only the defaults. */
  public static Configuration defaults() {
    return new Builder().build();
  }

  /** Whether a source set {@code key} to a non-blank value. */
  public boolean isSet(Key key) {
    Value v = values.get(key);
    return v != null && !v.text().isBlank();
  }

  /**
   * The value (trimmed), else the default; null when neither. A blank value of a text key is null
   * (set to nothing, for example {@code plugins_dir: ""}: no plugins); of a typed key, the default.
   */
  public String text(Key key) {
    Value v = values.get(key);
    if (v == null) {
      return key.defaultValue();
    }
    if (v.text().isBlank()) {
      return key.type() == Key.Type.TEXT ? null : key.defaultValue();
    }
    return v.text().trim();
  }

  /** Where {@code key}'s value came from: a source's name, or {@code default}. */
  public String source(Key key) {
    return isSet(key) ? values.get(key).source() : "default";
  }

  /** An {@link Key.Type#INTEGER} key; null when unset without default. */
  public Integer optionalInteger(Key key) {
    String t = text(key);
    return t == null ? null : Integer.valueOf(t);
  }

  /** An {@link Key.Type#INTEGER} key with a default. */
  public int integer(Key key) {
    return Integer.parseInt(Objects.requireNonNull(text(key), key.path()));
  }

  /** A {@link Key.Type#LONG} (or integer) key with a default. */
  public long longValue(Key key) {
    return Long.parseLong(Objects.requireNonNull(text(key), key.path()));
  }

  /** A {@link Key.Type#NUMBER} key with a default. */
  public double number(Key key) {
    return Double.parseDouble(Objects.requireNonNull(text(key), key.path()));
  }

  /** A {@link Key.Type#NUMBER} key in seconds, as a duration (millisecond precision). */
  public Duration seconds(Key key) {
    return Duration.ofMillis(Math.round(number(key) * 1000));
  }

  /** A {@link Key.Type#BOOLEAN} key with a default. */
  public boolean bool(Key key) {
    return Boolean.parseBoolean(Objects.requireNonNull(text(key), key.path()).toLowerCase(Locale.ROOT));
  }

  /**
   * The value of a key that has no default and must be set.
   *
   * @throws ConfigException {@code section 's', key 'k' is required}, with the key's environment
   *     variable and WAR property
   */
  public String required(Key key) throws ConfigException {
    String t = text(key);
    if (t == null) {
      throw ConfigException.invalid(key, "is required (environment " + key.envName() + ", WAR " + key.property() + ")");
    }
    return t;
  }

  /**
   * A named section kind ({@link Keys#AUTH}, {@link Keys#CONNECTION}): section name to its keys and
   * values, in the order the sources gave them.
   */
  public Map<String, Map<String, String>> named(String kind) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    named.getOrDefault(kind, Map.of()).forEach((name, keys) -> {
      Map<String, String> m = new LinkedHashMap<>();
      keys.forEach((k, v) -> m.put(k, v.text()));
      out.put(name, m);
    });
    return out;
  }

  /** Every key set by a source, with its source: for a start-up log line or a test. */
  public Map<String, String> sources() {
    Map<String, String> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k.path(), v.source()));
    return out;
  }

  /**
   * Collects values source by source, lowest precedence first: a later value of the same key wins.
   * Each value is checked against its key when set. Not thread-safe; used by the sources.
   */
  static final class Builder {
    private final Map<Key, Value> values = new LinkedHashMap<>();
    private final Map<String, Map<String, Map<String, Value>>> named = new LinkedHashMap<>();

    /**
     * Sets key {@code name} of plain section {@code section}.
     *
     * @throws ConfigException naming {@code source}, section and key: unknown section or key, or a
     *     value its key's type does not accept
     */
    Builder set(String source, String section, String name, String text) throws ConfigException {
      Key key = Keys.find(section, name);
      if (key == null) {
        if (!Keys.sections().contains(section)) {
          throw new ConfigException("Invalid configuration in " + source + ": unknown section '" + section + "'");
        }
        throw new ConfigException(where(source, section, name) + "unknown key");
      }
      String problem = Types.check(key.type(), text);
      if (problem != null) {
        throw new ConfigException(where(source, section, name) + problem);
      }
      values.put(key, new Value(text == null ? "" : text, source));
      return this;
    }

    /** Sets key {@code key} of the named section {@code kind name}; its reader checks the keys. */
    Builder setNamed(String source, String kind, String name, String key, String text) {
      named.computeIfAbsent(kind, k -> new LinkedHashMap<>()).computeIfAbsent(name, n -> new LinkedHashMap<>())
          .put(key, new Value(text == null ? "" : text, source));
      return this;
    }

    /** Makes sure the named section exists, even without keys (YAML {@code auth: {corp: {}}}). */
    Builder namedSection(String kind, String name) {
      named.computeIfAbsent(kind, k -> new LinkedHashMap<>()).computeIfAbsent(name, n -> new LinkedHashMap<>());
      return this;
    }

    Configuration build() {
      return new Configuration(this);
    }

    private static String where(String source, String section, String name) {
      return "Invalid configuration in " + source + ": section '" + section + "', key '" + name + "': ";
    }
  }
}
