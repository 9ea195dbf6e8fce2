package org.fingerpost.webapp.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which tenants are read-protected and by which rules: one consistent snapshot of Zuul's
 * {@code authorization-rule}s, each tenant's {@code access-rules}, {@code admin-rules} and {@code
 * authentication-realm}, and the {@code api-root}'s {@code access-rules}. Immutable, thread-safe.
 *
 * <p>A tenant is read-protected when it has access rules. A user may read it when the token's
 * {@code zuul.admin} claim lists the tenant (only accepted from authenticators with {@code
 * allow_authz_override}), or one of its access rules or admin rules matches (tenant admins may read
 * what they administer, as in Zuul). A rule name no rule defines grants nothing. Tenants absent from
 * the configuration are not protected (Zuul runs no builds for them).
 */
public final class AccessRules {
  private static final AccessRules NONE = new AccessRules(Map.of(), Map.of(), List.of());

  /** One tenant's entries. */
  public record Tenant(String name, List<String> accessRules, List<String> adminRules, String realm) {}

  private final Map<String, Tenant> tenants;
  private final Map<String, AuthorizationRule> rules;
  private final List<String> rootAccessRules;

  private AccessRules(Map<String, Tenant> tenants, Map<String, AuthorizationRule> rules, List<String> root) {
    this.tenants = Collections.unmodifiableMap(tenants);
    this.rules = Collections.unmodifiableMap(rules);
    this.rootAccessRules = List.copyOf(root);
  }

  /** Nothing is protected (no Zuul tenant configuration exists). */
  public static AccessRules none() {
    return NONE;
  }

  /**
   * From Zuul's {@code unparsed_abide} ({@code tenants}: name → raw tenant dict, {@code authz_rules}:
   * raw rule dicts, {@code api_roots}: raw api-root dicts).
   *
   * @throws IllegalArgumentException for malformed entries
   */
  public static AccessRules fromUnparsedAbide(Map<String, Object> abide) {
    Map<String, AuthorizationRule> rules = new LinkedHashMap<>();
    if (abide.get("authz_rules") instanceof List<?> list) {
      for (Object r : list) {
        AuthorizationRule rule = AuthorizationRule.fromRaw(r);
        rules.put(rule.name(), rule);
      }
    }
    Map<String, Tenant> tenants = new LinkedHashMap<>();
    if (abide.get("tenants") instanceof Map<?, ?> map) {
      map.forEach((name, raw) -> tenants.put(String.valueOf(name), tenant(String.valueOf(name), raw)));
    }
    List<String> root = new ArrayList<>();
    if (abide.get("api_roots") instanceof List<?> roots) {
      for (Object r : roots) {
        if (r instanceof Map<?, ?> m) {
          root.addAll(names(m.get("access-rules")));
        }
      }
    }
    return new AccessRules(tenants, rules, root);
  }

  /**
   * From a Zuul {@code main.yaml}-style document: a list of single-key mappings {@code
   * authorization-rule}, {@code tenant} and {@code api-root} (other entries, such as {@code
   * admin-rule}, the old name of {@code authorization-rule}, are read likewise or ignored).
   *
   * @throws IllegalArgumentException for malformed entries
   */
  public static AccessRules fromMainYaml(Object document) {
    if (!(document instanceof List<?> list)) {
      throw new IllegalArgumentException("the tenant configuration must be a list of entries");
    }
    Map<String, Object> tenants = new LinkedHashMap<>();
    List<Object> rules = new ArrayList<>();
    List<Object> roots = new ArrayList<>();
    for (Object entry : list) {
      if (!(entry instanceof Map<?, ?> m) || m.size() != 1) {
        throw new IllegalArgumentException("each entry must be a mapping with one key, not " + entry);
      }
      Map.Entry<?, ?> e = m.entrySet().iterator().next();
      switch (String.valueOf(e.getKey())) {
        case "authorization-rule", "admin-rule" -> rules.add(e.getValue());
        case "tenant" -> {
          if (!(e.getValue() instanceof Map<?, ?> t) || !(t.get("name") instanceof String name)) {
            throw new IllegalArgumentException("a tenant needs a name: " + e.getValue());
          }
          tenants.put(name, t);
        }
        case "api-root" -> roots.add(e.getValue());
        default -> { } // other Zuul entries (e.g. global-semaphore) carry no access rules
      }
    }
    Map<String, Object> abide = new LinkedHashMap<>();
    abide.put("tenants", tenants);
    abide.put("authz_rules", rules);
    abide.put("api_roots", roots);
    return fromUnparsedAbide(abide);
  }

  private static Tenant tenant(String name, Object raw) {
    if (!(raw instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("tenant " + name + ": not a mapping");
    }
    Object realm = m.get("authentication-realm");
    return new Tenant(name, names(m.get("access-rules")), names(m.get("admin-rules")),
        realm == null ? null : String.valueOf(realm));
  }

  /** Zuul's {@code to_list(str)}: one name or a list of names. */
  private static List<String> names(Object v) {
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(v));
  }

  /** Whether reading {@code tenant} (null: the API root) needs a token. */
  public boolean isProtected(String tenant) {
    if (tenant == null) {
      return !rootAccessRules.isEmpty();
    }
    Tenant t = tenants.get(tenant);
    return t != null && !t.accessRules().isEmpty();
  }

  /** The tenant's {@code authentication-realm}, or null. */
  public String realm(String tenant) {
    Tenant t = tenant == null ? null : tenants.get(tenant);
    return t == null ? null : t.realm();
  }

  /** Whether {@code user} may read {@code tenant} (null: the API root). */
  public boolean allows(String tenant, AuthenticatedUser user) {
    if (!isProtected(tenant)) {
      return true;
    }
    if (tenant != null && user.claims().get("zuul") instanceof Map<?, ?> z
        && z.get("admin") instanceof List<?> admin && admin.contains(tenant)) {
      return true;
    }
    List<String> names = new ArrayList<>();
    if (tenant == null) {
      names.addAll(rootAccessRules);
    } else {
      Tenant t = tenants.get(tenant);
      names.addAll(t.accessRules());
      names.addAll(t.adminRules());
    }
    for (String n : names) {
      AuthorizationRule rule = rules.get(n);
      if (rule != null && rule.matches(user, tenant)) {
        return true;
      }
    }
    return false;
  }

  /** Tenant names with access rules, for logs. */
  public List<String> protectedTenants() {
    return tenants.values().stream().filter(t -> !t.accessRules().isEmpty()).map(Tenant::name).toList();
  }
}
