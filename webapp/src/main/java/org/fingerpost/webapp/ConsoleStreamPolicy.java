package org.fingerpost.webapp;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.fingerpost.streams.LookupRateLimit;

/**
 * Who may open console-stream websockets, and how often (docs/operations.md "Hardening"): the
 * browser {@code Origin}s allowed (the request's own {@code Host}, plus {@link #allowedOrigins()}) and
 * the per-client {@link LookupRateLimit}. A request without {@code Origin} (not a browser) passes the
 * origin check: the check exists so that a hostile page cannot read logs through a visitor's browser,
 * which always sends it. Immutable and thread-safe.
 */
public final class ConsoleStreamPolicy {
  /** An {@link #allowedOrigins()} entry that allows every origin. */
  public static final String ANY_ORIGIN = "*";

  private static final ConsoleStreamPolicy DEFAULTS = new ConsoleStreamPolicy(List.of(), LookupRateLimit.defaults());

  private final List<String> allowedOrigins;
  private final LookupRateLimit lookups;

  private ConsoleStreamPolicy(List<String> allowedOrigins, LookupRateLimit lookups) {
    this.allowedOrigins = List.copyOf(allowedOrigins);
    this.lookups = Objects.requireNonNull(lookups, "lookups");
  }

  /** Same origin only, {@link LookupRateLimit#defaults()}. */
  public static ConsoleStreamPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * @param allowedOrigins origins such as {@code https://zuul.example.com} (scheme, host, optional
   *     port), or {@value #ANY_ORIGIN}
   * @throws IllegalArgumentException for an entry that is not an origin, naming {@code allowed_origins}
   */
  public static ConsoleStreamPolicy of(List<String> allowedOrigins, LookupRateLimit lookups) {
    for (String o : allowedOrigins) {
      if (!ANY_ORIGIN.equals(o) && Origin.parse(o) == null) {
        throw new IllegalArgumentException("allowed_origins: '" + o + "' is not an origin (scheme://host[:port])");
      }
    }
    return new ConsoleStreamPolicy(allowedOrigins, lookups);
  }

  /** Splits a comma-separated {@code allowed_origins} value; null or blank is none. */
  public static List<String> parseOrigins(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public List<String> allowedOrigins() {
    return allowedOrigins;
  }

  public LookupRateLimit lookups() {
    return lookups;
  }

  /**
   * Whether a websocket upgrade with this {@code Origin} header may proceed when the request named
   * {@code host} (its {@code Host} header; null when unknown).
   */
  public boolean originAllowed(String origin, String host) {
    if (origin == null || allowedOrigins.contains(ANY_ORIGIN)) {
      return true;
    }
    Origin o = Origin.parse(origin);
    if (o == null) {
      return false;
    }
    if (host != null && o.sameAuthority(host)) {
      return true;
    }
    for (String allowed : allowedOrigins) {
      Origin a = Origin.parse(allowed);
      if (a != null && a.equals(o)) {
        return true;
      }
    }
    return false;
  }

  /** An origin with its default port filled in. */
  private record Origin(String scheme, String host, int port) {
    static Origin parse(String text) {
      try {
        URI u = new URI(text.trim());
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/"))) {
          return null;
        }
        int port = u.getPort() >= 0 ? u.getPort() : defaultPort(scheme);
        return new Origin(scheme, u.getHost().toLowerCase(Locale.ROOT), port);
      } catch (java.net.URISyntaxException e) {
        return null;
      }
    }

    static int defaultPort(String scheme) {
      return scheme.equals("https") || scheme.equals("wss") ? 443 : 80;
    }

    /** Whether {@code hostHeader} ({@code host[:port]}) names this origin's host and port. */
    boolean sameAuthority(String hostHeader) {
      Origin h = parse(scheme + "://" + hostHeader.trim());
      return h != null && h.host.equals(host) && h.port == port;
    }
  }
}
