package org.fingerpost.webapp.routes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Which requests Fingerpost answers itself rather than a route (docs/web-tier.md "Routes and what
 * Fingerpost owns"). Two scopes:
 * <ul>
 *   <li>{@link Scope#ALWAYS}: owned with or without a default backend (a {@code /} route): the
 *       console-stream websocket, {@code /health/*}, {@code /metrics}, everything under {@value #PREFIX},
 *       the webhook URL of each configured connection;
 *   <li>{@link Scope#STANDALONE}: owned only without a default backend: the Zuul-shaped paths
 *       Fingerpost serves when no zuul-web stands behind it.
 * </ul>
 * Owned paths always win over routes, whatever their prefix; a route whose prefix lies inside an
 * owned path is refused ({@link RouteTable}).
 *
 * <p>Patterns are paths of literal segments and {@code {name}} segments (one non-empty segment);
 * a pattern ending in {@code /**} also covers everything below it. Endpoints that want a path of
 * their own register it here ({@link Builder#always}, {@link Builder#standalone}). Immutable and
 * thread-safe once built.
 */
public final class OwnedPaths {
  /** The prefix of Fingerpost's own endpoints, which Zuul does not use. */
  public static final String PREFIX = "/fingerpost/";
  /** Zuul's console-stream websocket, served by Fingerpost itself. */
  public static final String CONSOLE_STREAM = "/api/tenant/{tenant}/console-stream";

  /** When a path is Fingerpost's. */
  public enum Scope { ALWAYS, STANDALONE }

  /**
   * One owned path.
   *
   * @param method the only method owned ({@code POST}), or null for every method
   * @param pattern the path pattern (see the class comment)
   * @param scope when it is owned
   * @param what what it is, for messages
   */
  public record Owned(String method, String pattern, Scope scope, String what) {
    @Override
    public String toString() {
      return (method == null ? "" : method + " ") + pattern + " (" + what + ")";
    }
  }

  private final List<Owned> owned;
  private final List<String[]> segments;

  private OwnedPaths(List<Owned> owned) {
    this.owned = List.copyOf(owned);
    this.segments = new ArrayList<>();
    for (Owned o : this.owned) {
      segments.add(split(o.pattern()));
    }
  }

  /** Nothing owned yet. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The paths of the agreed contract: console stream, health, metrics, {@value #PREFIX}, the webhook
   * URL of each of {@code webhookConnections}; and, standalone, Zuul's {@code /api/info}, {@code
   * /api/tenant/{tenant}/info}, {@code /api/components} and live-log page {@code /t/{tenant}/stream/{uuid}},
   * and the old paths kept as aliases ({@code /t/{tenant}/build/{uuid}}, {@code
   * /api/tenant/{tenant}/build/{uuid}/stream}, {@code /static/**}).
   */
  public static Builder defaults(Collection<String> webhookConnections) {
    Builder b = builder()
        .always(null, CONSOLE_STREAM, "the console-stream websocket")
        .always(null, "/health/**", "health")
        .always(null, "/metrics", "metrics")
        .always(null, PREFIX + "**", "Fingerpost's own endpoints")
        .standalone("/api/info", "Zuul's info, answered by Fingerpost without a / route")
        .standalone("/api/tenant/{tenant}/info", "Zuul's tenant info, answered by Fingerpost without a / route")
        .standalone("/api/components", "Zuul's components, answered by Fingerpost without a / route")
        .standalone("/t/{tenant}/stream/{uuid}", "Zuul's live-log page path, served by Fingerpost without a / route")
        .standalone("/t/{tenant}/build/{uuid}", "the old live-log page path, an alias without a / route")
        .standalone("/api/tenant/{tenant}/build/{uuid}/stream", "the old stream-route path, an alias without a / route")
        .standalone("/static/**", "the old page assets, an alias without a / route");
    for (String name : webhookConnections) {
      b.always("POST", "/api/connection/" + name + "/payload", "the webhook of connection " + name);
    }
    return b;
  }

  /** All owned paths, in registration order. */
  public List<Owned> all() {
    return owned;
  }

  /**
   * The owner of a request, if Fingerpost owns it.
   *
   * @param path the path inside the servlet context, decoded, starting with {@code /}
   * @param defaultBackend whether a {@code /} route exists (then {@link Scope#STANDALONE} paths are not owned)
   */
  public Optional<Owned> owner(String method, String path, boolean defaultBackend) {
    String[] p = split(path);
    for (int i = 0; i < owned.size(); i++) {
      Owned o = owned.get(i);
      if (applies(o, defaultBackend) && (o.method() == null || o.method().equalsIgnoreCase(method))
          && matches(segments.get(i), p, false)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  /**
   * The owned paths a route with {@code prefix} would lie inside (its own path, or one below it, is
   * owned): such a route could never receive what its prefix promises. The {@code /} route lies
   * inside nothing: it receives what is not owned.
   */
  public List<Owned> shadowedBy(String prefix, boolean defaultBackend) {
    String[] p = split(prefix);
    List<Owned> out = new ArrayList<>();
    for (int i = 0; i < owned.size(); i++) {
      if (p.length > 0 && applies(owned.get(i), defaultBackend) && matches(segments.get(i), p, true)) {
        out.add(owned.get(i));
      }
    }
    return out;
  }

  private static boolean applies(Owned o, boolean defaultBackend) {
    return o.scope() == Scope.ALWAYS || !defaultBackend;
  }

  /** Whether {@code path} matches {@code pattern}; with {@code below}, paths under an exact pattern match too. */
  private static boolean matches(String[] pattern, String[] path, boolean below) {
    boolean tail = pattern.length > 0 && pattern[pattern.length - 1].equals("**");
    int fixed = tail ? pattern.length - 1 : pattern.length;
    if (path.length < fixed || (!tail && !below && path.length != fixed)) {
      return false;
    }
    for (int i = 0; i < fixed; i++) {
      boolean variable = pattern[i].startsWith("{") && pattern[i].endsWith("}");
      if (!(variable ? !path[i].isEmpty() : pattern[i].equals(path[i]))) {
        return false;
      }
    }
    return true;
  }

  /** {@code /a/b/} and {@code /a/b} -> [a, b]; {@code /} -> []. */
  static String[] split(String path) {
    String p = path.startsWith("/") ? path.substring(1) : path;
    if (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() ? new String[0] : p.split("/", -1);
  }

  /** Collects owned paths; not thread-safe. */
  public static final class Builder {
    private final List<Owned> owned = new ArrayList<>();

    private Builder() {}

    /** Owns {@code pattern} (for {@code method} only, or all methods when null) in every mode. */
    public Builder always(String method, String pattern, String what) {
      owned.add(new Owned(method, check(pattern), Scope.ALWAYS, what));
      return this;
    }

    /** Owns {@code pattern} (every method) only without a default backend. */
    public Builder standalone(String pattern, String what) {
      owned.add(new Owned(null, check(pattern), Scope.STANDALONE, what));
      return this;
    }

    private static String check(String pattern) {
      if (!pattern.startsWith("/") || (pattern.contains("**") && !pattern.endsWith("/**"))) {
        throw new IllegalArgumentException("owned path pattern '" + pattern + "' must start with / and use ** only at its end");
      }
      return pattern;
    }

    public OwnedPaths build() {
      return new OwnedPaths(owned);
    }
  }
}
