package org.fingerpost.webapp.webhooks;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code [connection <name>]} of zuul.conf whose driver receives webhooks, with the keys the
 * endpoint reads (docs/web-tier.md, Webhooks). Immutable.
 *
 * @param name the connection name: the URL segment and the queue's ZooKeeper node
 * @param driver which sender and checks
 * @param webhookToken GitHub's HMAC secret, GitLab's token; for Pagure a static secret used instead
 *     of the per-project lookup (Fingerpost's extension); null when unset
 * @param pagureBaseUrl Pagure's {@code baseurl} (default {@code https://<server>}); null for others
 * @param pagureApiToken Pagure's {@code api_token} for the project-token lookup; null when unset
 * @param sourceWhitelist Pagure's {@code source_whitelist}: peer addresses whose deliveries skip the
 *     signature check; empty for others
 */
public record ConnectionSettings(String name, Driver driver, String webhookToken, URI pagureBaseUrl,
    String pagureApiToken, Set<String> sourceWhitelist) {

  /** The drivers with a webhook in Zuul. */
  public enum Driver {
    GITHUB, GITLAB, PAGURE;

    /** The zuul.conf {@code driver} value, or null for a driver without a webhook. */
    static Driver of(String value) {
      if (value == null) {
        return null;
      }
      return switch (value.trim()) {
        case "github" -> GITHUB;
        case "gitlab" -> GITLAB;
        case "pagure" -> PAGURE;
        default -> null;
      };
    }
  }

  public ConnectionSettings {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(driver, "driver");
    sourceWhitelist = Set.copyOf(sourceWhitelist);
  }

  /**
   * The settings of section {@code [connection <name>]} with {@code keys}, or null when its driver
   * has no webhook.
   *
   * @throws IllegalArgumentException naming the key, for a missing or invalid value
   */
  static ConnectionSettings of(String name, Map<String, String> keys) {
    Driver driver = Driver.of(keys.get("driver"));
    if (driver == null) {
      return null;
    }
    String token = blankToNull(keys.get("webhook_token"));
    String where = "[connection " + name + "] ";
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException(where + "the name must not be empty nor contain '/'");
    }
    switch (driver) {
      case GITHUB, GITLAB -> {
        if (token == null) {
          // Zuul's web server refuses to start as well (validateWebConfig).
          throw new IllegalArgumentException(where + "webhook_token is required for driver "
              + driver.name().toLowerCase(java.util.Locale.ROOT));
        }
        return new ConnectionSettings(name, driver, token, null, null, Set.of());
      }
      default -> {
        String server = keys.getOrDefault("server", "pagure.io").trim();
        String base = keys.getOrDefault("baseurl", "https://" + server).trim().replaceAll("/+$", "");
        URI baseUrl;
        try {
          baseUrl = URI.create(base);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + "baseurl '" + base + "' is not a URL", e);
        }
        if (!("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme())) || baseUrl.getHost() == null) {
          throw new IllegalArgumentException(where + "baseurl '" + base + "' must be an http(s) URL");
        }
        Set<String> whitelist = new java.util.LinkedHashSet<>();
        for (String s : keys.getOrDefault("source_whitelist", "").split(",")) {
          if (!s.isBlank()) {
            whitelist.add(s.trim());
          }
        }
        return new ConnectionSettings(name, driver, token, baseUrl, blankToNull(keys.get("api_token")), whitelist);
      }
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  @Override
  public String toString() {
    // Never the secrets.
    return "ConnectionSettings{" + name + ", " + driver + (pagureBaseUrl == null ? "" : ", " + pagureBaseUrl) + "}";
  }
}
