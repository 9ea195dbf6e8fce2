package org.fingerpost.webapp.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A claim name as Zuul reads it: a JSONPath ({@code jsonpath_rw}) into the token's claims. The subset
 * used in authorization rules is supported: an optional leading {@code $.}, fields separated by dots,
 * fields quoted with {@code '...'} or {@code "..."} (for names containing dots, such as URLs), bracket
 * fields {@code ['name']} and list indexes {@code [0]}. A path matches at most one value; no match is
 * {@code null}. Immutable.
 */
final class ClaimPath {
  private final List<Object> steps; // String field or Integer index
  private final String text;

  private ClaimPath(String text, List<Object> steps) {
    this.text = text;
    this.steps = Collections.unmodifiableList(steps);
  }

  /** @throws IllegalArgumentException for a path outside the supported subset */
  static ClaimPath parse(String path) {
    List<Object> steps = new ArrayList<>();
    String p = path.trim();
    int i = 0;
    if (p.startsWith("$")) {
      i = 1;
      if (i < p.length() && p.charAt(i) == '.') {
        i++;
      }
    }
    boolean expectField = true;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '[') {
        int end = p.indexOf(']', i);
        if (end < 0) {
          throw new IllegalArgumentException("claim path '" + path + "': unclosed [");
        }
        String inner = p.substring(i + 1, end).trim();
        if (inner.length() >= 2 && (inner.charAt(0) == '\'' || inner.charAt(0) == '"')
            && inner.charAt(inner.length() - 1) == inner.charAt(0)) {
          steps.add(inner.substring(1, inner.length() - 1));
        } else if (inner.matches("\\d+")) {
          steps.add(Integer.valueOf(inner));
        } else {
          throw new IllegalArgumentException("claim path '" + path + "': unsupported [" + inner + "]");
        }
        i = end + 1;
        expectField = false;
      } else if (c == '.') {
        i++;
        expectField = true;
      } else if (c == '\'' || c == '"') {
        int end = p.indexOf(c, i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("claim path '" + path + "': unclosed quote");
        }
        steps.add(p.substring(i + 1, end));
        i = end + 1;
        expectField = false;
      } else {
        if (!expectField) {
          throw new IllegalArgumentException("claim path '" + path + "': '.' expected at " + i);
        }
        int end = i;
        while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
          end++;
        }
        String field = p.substring(i, end).trim();
        if (field.equals("*") || field.contains("*") || field.equals("..")) {
          throw new IllegalArgumentException("claim path '" + path + "': wildcards are not supported");
        }
        steps.add(field);
        i = end;
        expectField = false;
      }
    }
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("empty claim path");
    }
    return new ClaimPath(path, steps);
  }

  /** The single value at this path in {@code claims}, or null. */
  Object find(Map<String, Object> claims) {
    Object cur = claims;
    for (Object step : steps) {
      if (step instanceof String f && cur instanceof Map<?, ?> m) {
        cur = m.get(f);
      } else if (step instanceof Integer n && cur instanceof List<?> l && n < l.size()) {
        cur = l.get(n);
      } else {
        return null;
      }
      if (cur == null) {
        return null;
      }
    }
    return cur;
  }

  @Override
  public String toString() {
    return text;
  }
}
