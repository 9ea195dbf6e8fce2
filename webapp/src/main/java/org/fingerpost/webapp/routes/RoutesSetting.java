package org.fingerpost.webapp.routes;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The text form of the routing table, setting {@code web.routes} (docs/configuration.md):
 * {@code /prefix/=http://host:port/[,/other/=http://...]}, read into prefix-to-backend entries for
 * {@link RouteTable#of}. Only the form is checked here; whether a prefix shadows what Fingerpost owns
 * is checked when the table is made ({@link RouteTable}), where the owned paths (webhook connections
 * included) are known. Stateless.
 */
public final class RoutesSetting {
  /** {@code /} or {@code /name/...} of unreserved URI characters, the trailing slash optional. */
  private static final Pattern PREFIX = Pattern.compile("/|/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*/?");

  private RoutesSetting() {}

  /**
   * Parses a routing table written {@code /prefix/=http://host:port/[,/other/=http://...]}; blank
   * or null is no route. A prefix gets its trailing {@code /}.
   *
   * @return prefix (starting and ending with {@code /}) to backend base URI, in the text's order
   * @throws IllegalArgumentException naming the bad entry
   */
  public static Map<String, URI> parse(String text) {
    Map<String, URI> routes = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return routes;
    }
    for (String entry : text.split(",")) {
      String e = entry.trim();
      if (!e.isEmpty()) {
        int eq = e.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("route '" + e + "' must be /prefix/=http://host:port/");
        }
        routes.put(prefix(e.substring(0, eq).trim()), target(e.substring(eq + 1).trim()));
      }
    }
    return routes;
  }

  private static String prefix(String prefix) {
    if (!PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("route prefix '" + prefix + "' must look like /name/ (or / for the default backend)");
    }
    return prefix.endsWith("/") ? prefix : prefix + "/";
  }

  private static URI target(String target) {
    URI uri;
    try {
      uri = URI.create(target);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException("route target '" + target + "' is not a URI", ex);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("route target '" + target + "' must be an http(s)://host[:port]/ URL");
    }
    return uri;
  }
}
