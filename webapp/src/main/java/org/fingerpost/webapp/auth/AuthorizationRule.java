package org.fingerpost.webapp.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Zuul {@code authorization-rule}: {@code {name, conditions}}, where {@code conditions} is a list of
 * alternatives (any may match; a single mapping counts as a list of one) and each alternative a
 * mapping of {@code claim: value} that must all match ({@code zuul/model.py} {@code ClaimRule},
 * {@code AndRule}, {@code OrRule}):
 *
 * <ul>
 *   <li>the claim name is a JSONPath ({@link ClaimPath}); {@code zuul_uid} means the authenticator's
 *       uid claim;
 *   <li>a list claim matches when it contains the value, a string claim when it equals it; any other
 *       type, or no value, does not match;
 *   <li>{@code {tenant.name}} in the value is replaced by the tenant's name ({@code {{}} / {@code }}}
 *       are literal braces, as in Python's {@code str.format}).
 * </ul>
 * Immutable, thread-safe.
 */
public final class AuthorizationRule {
  /** Zuul's special claim name for the authenticator's uid claim. */
  static final String ZUUL_UID = "zuul_uid";

  private final String name;
  private final List<Map<ClaimPath, String>> alternatives;

  private AuthorizationRule(String name, List<Map<ClaimPath, String>> alternatives) {
    this.name = name;
    this.alternatives = alternatives;
  }

  /**
   * From the raw dict Zuul stores ({@code {"name": ..., "conditions": ...}}).
   *
   * @throws IllegalArgumentException for a malformed rule
   */
  static AuthorizationRule fromRaw(Object raw) {
    if (!(raw instanceof Map<?, ?> m) || !(m.get("name") instanceof String name)) {
      throw new IllegalArgumentException("authorization-rule without a name: " + raw);
    }
    Object c = m.get("conditions");
    List<?> list = c instanceof List<?> l ? l : c == null ? List.of() : List.of(c);
    List<Map<ClaimPath, String>> alts = new ArrayList<>();
    for (Object alt : list) {
      if (!(alt instanceof Map<?, ?> conditions)) {
        throw new IllegalArgumentException("authorization-rule " + name + ": a condition must be a mapping");
      }
      Map<ClaimPath, String> all = new LinkedHashMap<>();
      conditions.forEach((k, v) -> all.put(ClaimPath.parse(String.valueOf(k)), String.valueOf(v)));
      alts.add(all);
    }
    return new AuthorizationRule(name, alts);
  }

  public String name() {
    return name;
  }

  /** Whether {@code user} matches this rule for tenant {@code tenant} (null outside tenants). */
  public boolean matches(AuthenticatedUser user, String tenant) {
    for (Map<ClaimPath, String> alt : alternatives) {
      boolean all = true;
      for (Map.Entry<ClaimPath, String> e : alt.entrySet()) {
        if (!matches(e.getKey(), template(e.getValue(), tenant), user)) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(ClaimPath path, String value, AuthenticatedUser user) {
    Object found = path.toString().equals(ZUUL_UID) ? user.uid() : path.find(user.claims());
    if (found instanceof List<?> l) {
      return l.contains(value);
    }
    if (found instanceof String s) {
      return s.equals(value);
    }
    return false;
  }

  static String template(String value, String tenant) {
    if (value.indexOf('{') < 0 && value.indexOf('}') < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '{' && value.startsWith("{{", i)) {
        out.append('{');
        i++;
      } else if (c == '}' && value.startsWith("}}", i)) {
        out.append('}');
        i++;
      } else if (c == '{' && value.startsWith("{tenant.name}", i)) {
        if (tenant == null) {
          return "\u0000no tenant"; // outside a tenant the template cannot be filled: never matches
        }
        out.append(tenant);
        i += "{tenant.name}".length() - 1;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
