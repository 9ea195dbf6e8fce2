package org.fingerpost.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An INI file read the way Python's {@code configparser.ConfigParser} (Zuul's reader) reads it:
 * {@code [section]} headers; {@code key = value} or {@code key: value} (split at the first {@code =}
 * or {@code :}, both sides stripped, keys lower-cased); whole-line comments starting with {@code #} or
 * {@code ;}; continuation lines (indented) appended to the previous value with a newline; the {@code
 * [DEFAULT]} section's keys visible in every section; basic interpolation ({@code %(key)s} from the
 * same section or {@code DEFAULT}, {@code %%} for a percent sign).
 *
 * <p>Immutable once parsed; thread-safe.
 */
final class IniFile {
  /** Nested {@code %(key)s} references followed at most this deep, as Python does (a loop is an error). */
  static final int MAX_INTERPOLATION_DEPTH = 10;

  private final Map<String, Map<String, String>> sections;
  private final Map<String, String> defaults;

  private IniFile(Map<String, Map<String, String>> sections, Map<String, String> defaults) {
    this.sections = sections;
    this.defaults = defaults;
  }

  /**
   * Parses {@code lines}.
   *
   * @throws IllegalArgumentException naming the line for a key outside any section, a line that is
   *     neither header, key, comment nor continuation, or a duplicate section or key (as Python does)
   */
  static IniFile parse(List<String> lines) {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    Map<String, String> defaults = new LinkedHashMap<>();
    Map<String, String> current = null;
    String lastKey = null;
    int n = 0;
    for (String raw : lines) {
      n++;
      String line = raw.replace("\r", "");
      String trimmed = line.strip();
      boolean indented = !line.isEmpty() && Character.isWhitespace(line.charAt(0));
      if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
        continue;
      }
      if (indented && current != null && lastKey != null) {
        current.put(lastKey, current.get(lastKey) + "\n" + trimmed);
        continue;
      }
      if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
        String name = trimmed.substring(1, trimmed.length() - 1).strip();
        if (name.equals("DEFAULT")) {
          current = defaults;
        } else {
          if (sections.containsKey(name)) {
            throw new IllegalArgumentException("line " + n + ": section [" + name + "] appears twice");
          }
          current = new LinkedHashMap<>();
          sections.put(name, current);
        }
        lastKey = null;
        continue;
      }
      int eq = trimmed.indexOf('=');
      int colon = trimmed.indexOf(':');
      int split = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
      if (split <= 0) {
        throw new IllegalArgumentException("line " + n + ": expected 'key = value', got '" + trimmed + "'");
      }
      if (current == null) {
        throw new IllegalArgumentException("line " + n + ": key outside of any [section]");
      }
      String key = trimmed.substring(0, split).strip().toLowerCase(Locale.ROOT);
      if (current.containsKey(key)) {
        throw new IllegalArgumentException("line " + n + ": key '" + key + "' appears twice in its section");
      }
      current.put(key, trimmed.substring(split + 1).strip());
      lastKey = key;
    }
    return new IniFile(sections, defaults);
  }

  /** The section names, in file order ({@code DEFAULT} excluded). */
  Iterable<String> sections() {
    return sections.keySet();
  }

  /** The keys of {@code section} (its own and {@code DEFAULT}'s), values interpolated; empty if absent. */
  Map<String, String> section(String section) {
    Map<String, String> own = sections.get(section);
    if (own == null) {
      return Map.of();
    }
    Map<String, String> all = new LinkedHashMap<>(defaults);
    all.putAll(own);
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : all.entrySet()) {
      out.put(e.getKey(), interpolate(section, e.getKey(), e.getValue(), all, 0));
    }
    return out;
  }

  private static String interpolate(String section, String key, String value, Map<String, String> vars,
      int depth) {
    if (depth > MAX_INTERPOLATION_DEPTH) {
      throw new IllegalArgumentException("[" + section + "] " + key + ": interpolation nested too deep");
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
      } else if (value.startsWith("%%", i)) {
        out.append('%');
        i += 2;
      } else if (value.startsWith("%(", i) && value.indexOf(")s", i) > 0) {
        int end = value.indexOf(")s", i);
        String ref = value.substring(i + 2, end).toLowerCase(Locale.ROOT);
        String replacement = vars.get(ref);
        if (replacement == null) {
          throw new IllegalArgumentException("[" + section + "] " + key + ": '%(" + ref + ")s' names no key");
        }
        out.append(interpolate(section, ref, replacement, vars, depth + 1));
        i = end + 2;
      } else {
        throw new IllegalArgumentException("[" + section + "] " + key + ": a lone '%' must be written '%%'");
      }
    }
    return out.toString();
  }
}
