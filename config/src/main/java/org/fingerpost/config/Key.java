package org.fingerpost.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One configuration key of the catalogue ({@link Keys}): where it lives, its type, its default, its
 * unit, what it means and which daemons read it. The one description of a key: every source
 * (YAML, zuul.conf, environment, the WAR's properties) and {@code docs/configuration.md} follow it.
 * Immutable.
 *
 * @param section the section, as in the YAML file and zuul.conf ({@code fingergw}); for keys of a named
 *     section, its kind and a placeholder ({@code auth <name>}, {@code connection <name>})
 * @param name the key, snake_case as in zuul.conf
 * @param type how its text is read; checked when a source is loaded
 * @param defaultValue the default as written in a file, or null when unset by default
 * @param unit the unit of a number ({@code seconds}, {@code bytes}, ...), empty when none
 * @param doc one line: what the key means
 * @param roles the daemons that read it
 * @param fromZuul whether a zuul.conf may set it (false: Fingerpost's own, never taken from Zuul's file)
 */
public record Key(String section, String name, Type type, String defaultValue, String unit, String doc,
    Set<Role> roles, boolean fromZuul) {

  /** How a key's text is read. */
  public enum Type {
    /** Any text. */
    TEXT,
    /** A whole number that fits an {@code int}. */
    INTEGER,
    /** A whole number that fits a {@code long}. */
    LONG,
    /** A decimal number (seconds may be fractional). */
    NUMBER,
    /** {@code true} or {@code false}, any case. */
    BOOLEAN
  }

  /** The daemons that read keys: the fat jar's commands and the WAR. */
  public enum Role {
    GATEWAY, STREAMER, WEB, WAR;

    /** The name used in docs/configuration.md's "read by" column. */
    public String label() {
      return this == WAR ? "WAR" : name().toLowerCase(Locale.ROOT);
    }
  }

  public Key {
    Objects.requireNonNull(section, "section");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    roles = Set.copyOf(roles);
  }

  /** Whether the key belongs to a named section ({@code auth <name>}, {@code connection <name>}). */
  public boolean named() {
    return section.endsWith(" <name>");
  }

  /** The environment variable that overrides it: {@code FINGERPOST_<SECTION>_<KEY>}. */
  public String envName() {
    return EnvironmentSource.PREFIX + (section + "_" + name).toUpperCase(Locale.ROOT);
  }

  /** The WAR's system property and context parameter: {@code fingerpost.<section>.<key>}. */
  public String property() {
    return WarSource.PREFIX + section + "." + name;
  }

  /** {@code section.key}, for logs and messages. */
  public String path() {
    return section + "." + name;
  }

  @Override
  public String toString() {
    return path();
  }
}
