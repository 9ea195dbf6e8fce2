package org.fingerpost.webapp.auth;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The read-protection configuration, independent of any configuration file format: built from plain
 * sections ({@code "auth <name>"} → keys, as zuul.conf has them, plus {@code "access"} → keys), which
 * each reader (zuul.conf, the YAML file, the WAR's parameters) produces. Immutable.
 */
public final class AuthSettings {
  /** zuul.conf's section name pattern ({@code zuul/lib/auth.py}): {@code [auth name]}, name optionally quoted. */
  static final Pattern AUTH_SECTION = Pattern.compile("^auth (['\"]?)(.*)(\\1)$", Pattern.CASE_INSENSITIVE);
  /** The section of {@link AccessSettings}. */
  public static final String ACCESS_SECTION = "access";

  private final List<AuthenticatorSettings> authenticators;
  private final AccessSettings access;
  private final HttpClient http;

  private AuthSettings(List<AuthenticatorSettings> authenticators, AccessSettings access, HttpClient http) {
    this.authenticators = Collections.unmodifiableList(authenticators);
    this.access = access;
    this.http = http;
  }

  /**
   * The same configuration with {@code http} as the client for identity providers (for example one
   * trusting a private CA); by default a client using the JVM's trust store.
   */
  public AuthSettings withHttpClient(HttpClient http) {
    return new AuthSettings(authenticators, access, http);
  }

  /** The client for identity providers, or null for the default. */
  public HttpClient httpClient() {
    return http;
  }

  /** No authenticators, Zuul's rules from ZooKeeper: a read-protected tenant refuses every token. */
  public static AuthSettings defaults() {
    return new AuthSettings(List.of(), AccessSettings.defaults(), null);
  }

  /**
   * Reads the {@code auth <name>} and {@code access} sections of {@code sections}, in their order;
   * other sections are ignored.
   *
   * @throws IllegalArgumentException naming the section and key of a bad value
   */
  public static AuthSettings fromSections(Map<String, Map<String, String>> sections) {
    List<AuthenticatorSettings> auths = new ArrayList<>();
    AccessSettings access = AccessSettings.defaults();
    for (Map.Entry<String, Map<String, String>> e : sections.entrySet()) {
      Matcher m = AUTH_SECTION.matcher(e.getKey().trim());
      if (m.matches()) {
        auths.add(AuthenticatorSettings.of(m.group(2), e.getValue()));
      } else if (e.getKey().trim().equals(ACCESS_SECTION)) {
        access = AccessSettings.of(e.getValue());
      }
    }
    return new AuthSettings(auths, access, null);
  }

  /**
   * The sections of a YAML-style mapping {@code auth: {name: {key: value}}} and {@code access: {key:
   * value}}, as {@link #fromSections} takes them.
   */
  public static Map<String, Map<String, String>> sectionsOf(Map<String, Map<String, String>> authByName,
      Map<String, String> access) {
    Map<String, Map<String, String>> s = new LinkedHashMap<>();
    if (authByName != null) {
      authByName.forEach((name, keys) -> s.put("auth " + name, keys == null ? Map.of() : keys));
    }
    if (access != null) {
      s.put(ACCESS_SECTION, access);
    }
    return s;
  }

  /** The authenticator name of a zuul.conf section name ({@code auth foo}, {@code auth "foo"}), or null. */
  public static String authenticatorName(String section) {
    Matcher m = AUTH_SECTION.matcher(section.trim());
    return m.matches() ? m.group(2) : null;
  }

  public List<AuthenticatorSettings> authenticators() {
    return authenticators;
  }

  public AccessSettings access() {
    return access;
  }
}
