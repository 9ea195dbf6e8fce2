package org.fingerpost.registry.internal;

import java.util.regex.Pattern;

/**
 * Checks for the strings that become one ZooKeeper path segment (a kind, a hostname, a zone, a build
 * id), so that nothing from configuration or a client can reach outside its directory. Not API.
 */
public final class Names {
  /** Build ids are Zuul uuid4 hex; nothing else may become a path segment of a build node. */
  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]+");

  private Names() {}

  /** Whether {@code id} is a non-empty string of hex digits. */
  public static boolean isBuildId(String id) {
    return id != null && HEX.matcher(id).matches();
  }

  /**
   * Returns {@code id} if it is hex digits only.
   *
   * @throws IllegalArgumentException otherwise (the text is not echoed, it may be hostile)
   */
  public static String buildId(String id) {
    if (!isBuildId(id)) {
      throw new IllegalArgumentException("Build id must be hex digits only");
    }
    return id;
  }

  /**
   * Returns {@code value} if it can be one path segment: not blank, no {@code /}, no control
   * characters, not {@code .} or {@code ..}.
   *
   * @throws IllegalArgumentException otherwise, naming {@code what}
   */
  public static String segment(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    if (value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException(what + " must not be '.' or '..'");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '/' || Character.isISOControl(c)) {
        throw new IllegalArgumentException(what + " must not contain '/' or control characters: " + value);
      }
    }
    return value;
  }

  /** A zone as the routing rule compares it: null for unset or blank (unzoned). */
  public static String zone(String zone) {
    return zone == null || zone.isBlank() ? null : zone;
  }
}
