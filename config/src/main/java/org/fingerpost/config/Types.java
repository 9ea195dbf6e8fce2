package org.fingerpost.config;

import java.util.Locale;

/** Checks a value's text against its key's {@link Key.Type}. Stateless. */
final class Types {
  private Types() {}

  /** Null when {@code text} is acceptable (blank is: it means unset), else what is wrong. */
  static String check(Key.Type type, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String t = text.trim();
    try {
      switch (type) {
        case INTEGER -> Integer.parseInt(t);
        case LONG -> Long.parseLong(t);
        case NUMBER -> {
          double d = Double.parseDouble(t);
          if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "must be a number, not '" + t + "'";
          }
        }
        case BOOLEAN -> {
          String b = t.toLowerCase(Locale.ROOT);
          if (!b.equals("true") && !b.equals("false")) {
            return "must be true or false, not '" + t + "'";
          }
        }
        default -> { }
      }
      return null;
    } catch (NumberFormatException e) {
      return (type == Key.Type.NUMBER ? "must be a number" : "must be a whole number") + ", not '" + t + "'";
    }
  }
}
