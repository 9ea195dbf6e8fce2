package org.fingerpost.webapp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.fingerpost.registry.RegistryConfig;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.webapp.auth.AccessSettings;
import org.fingerpost.webapp.auth.AuthConfig;
import org.fingerpost.webapp.auth.AuthenticatorConfig;

/**
 * The WAR's configuration. Each key, for example {@code fingerpost.zookeeper.hosts}, is looked up as
 * a system property ({@code -Dfingerpost.zookeeper.hosts=...}), then as an environment variable
 * ({@code FINGERPOST_ZOOKEEPER_HOSTS}), then as a servlet context parameter of the same name
 * (web.xml or the container's context file); the first one set wins, else the default.
 */
public final class WarConfig {
  public static final String ZOOKEEPER_HOSTS = "fingerpost.zookeeper.hosts";
  public static final String ZOOKEEPER_ROOT = "fingerpost.zookeeper.root";
  public static final String ZOOKEEPER_SESSION_TIMEOUT = "fingerpost.zookeeper.session_timeout";
  public static final String ZOOKEEPER_MODEL_API = "fingerpost.zookeeper.model_api";
  public static final String WEB_ZONE = "fingerpost.web.zone";
  public static final String WEB_SEND_BUFFER_BYTES = "fingerpost.web.send_buffer_bytes";
  public static final String WEB_MAX_REQUEST_BYTES = "fingerpost.web.max_request_bytes";
  public static final String WEB_PING_INTERVAL = "fingerpost.web.ping_interval";
  public static final String WEB_SLOW_CLIENT_TIMEOUT = "fingerpost.web.slow_client_timeout";
  public static final String WEB_LOOKUP_THREADS = "fingerpost.web.lookup_threads";
  public static final String WEB_ROUTES = "fingerpost.web.routes";
  public static final String WEB_WEBSOCKET_COMPRESSION = "fingerpost.web.websocket_compression";
  public static final String WEB_PROXY_IDLE_TIMEOUT = "fingerpost.web.proxy_idle_timeout";
  public static final String WEB_PROXY_MAX_BODY_BYTES = "fingerpost.web.proxy_max_body_bytes";
  public static final String WEB_TRUSTED_PROXIES = "fingerpost.web.trusted_proxies";
  public static final String WEB_PROXY_VIA = "fingerpost.web.proxy_via";
  public static final String WEB_PROXY_ACCESS_LOG = "fingerpost.web.proxy_access_log";
  /** Prefix of webhook connection keys: {@code fingerpost.connection.<name>.<key>}, as zuul.conf's {@code [connection <name>]}. */
  public static final String CONNECTION_PREFIX = "fingerpost.connection.";
  public static final String WEBHOOKS_MAX_BODY_BYTES = "fingerpost.webhooks.max_body_bytes";
  public static final String WEBHOOKS_PERSIST_TIMEOUT = "fingerpost.webhooks.persist_timeout";
  public static final String WEBHOOKS_TOKEN_LOOKUP_TIMEOUT = "fingerpost.webhooks.token_lookup_timeout";
  public static final String TRANSPORTS_PLUGINS_DIR = "fingerpost.transports.plugins_dir";
  public static final String TRANSPORTS_CONNECT_TIMEOUT_MS = "fingerpost.transports.connect_timeout_ms";
  public static final String TRANSPORTS_BUFFER_BYTES = "fingerpost.transports.buffer_bytes";

  /** Read protection: comma-separated authenticator names; each has keys {@code fingerpost.auth.<name>.<key>}. */
  public static final String AUTH_NAMES = "fingerpost.auth.names";
  /** Prefix of the {@code [auth <name>]} keys: {@code fingerpost.auth.<name>.<key>}. */
  public static final String AUTH_PREFIX = "fingerpost.auth.";
  /** Prefix of the {@code access} keys: {@code fingerpost.access.<key>}. */
  public static final String ACCESS_PREFIX = "fingerpost.access.";

  private final Function<String, String> lookup;

  /** @param lookup the value of a key from its sources in precedence order, null when unset */
  public WarConfig(Function<String, String> lookup) {
    this.lookup = lookup;
  }

  /** System property, then environment variable, then {@code contextParameters}. */
  public static WarConfig of(Function<String, String> contextParameters) {
    return new WarConfig(key -> {
      String v = System.getProperty(key);
      if (v == null) {
        v = System.getenv(envName(key));
      }
      if (v == null) {
        v = contextParameters.apply(key);
      }
      return v == null || v.isBlank() ? null : v.trim();
    });
  }

  /** {@code fingerpost.zookeeper.hosts} -> {@code FINGERPOST_ZOOKEEPER_HOSTS}. */
  public static String envName(String key) {
    return key.replace('.', '_').toUpperCase(Locale.ROOT);
  }

  public RegistryConfig registry() {
    String hosts = lookup.apply(ZOOKEEPER_HOSTS);
    if (hosts == null) {
      throw new IllegalArgumentException(ZOOKEEPER_HOSTS + " (or " + envName(ZOOKEEPER_HOSTS) + ") is required");
    }
    RegistryConfig.Builder b = RegistryConfig.builder(hosts);
    String root = lookup.apply(ZOOKEEPER_ROOT);
    if (root != null) {
      b.root(root);
    }
    String session = lookup.apply(ZOOKEEPER_SESSION_TIMEOUT);
    if (session != null) {
      b.sessionTimeout(Duration.ofMillis(Math.round(number(ZOOKEEPER_SESSION_TIMEOUT, session) * 1000)));
    }
    String modelApi = lookup.apply(ZOOKEEPER_MODEL_API);
    if (modelApi != null) {
      b.modelApi((int) number(ZOOKEEPER_MODEL_API, modelApi));
    }
    return b.build();
  }

  public WebSettings web() {
    WebSettings.Builder b = WebSettings.builder().zone(lookup.apply(WEB_ZONE));
    String v;
    if ((v = lookup.apply(WEB_SEND_BUFFER_BYTES)) != null) {
      b.sendBufferBytes((int) number(WEB_SEND_BUFFER_BYTES, v));
    }
    if ((v = lookup.apply(WEB_MAX_REQUEST_BYTES)) != null) {
      b.maxRequestBytes((int) number(WEB_MAX_REQUEST_BYTES, v));
    }
    if ((v = lookup.apply(WEB_PING_INTERVAL)) != null) {
      b.pingInterval(Duration.ofMillis(Math.round(number(WEB_PING_INTERVAL, v) * 1000)));
    }
    if ((v = lookup.apply(WEB_SLOW_CLIENT_TIMEOUT)) != null) {
      b.slowClientTimeout(Duration.ofMillis(Math.round(number(WEB_SLOW_CLIENT_TIMEOUT, v) * 1000)));
    }
    if ((v = lookup.apply(WEB_LOOKUP_THREADS)) != null) {
      b.lookupThreads((int) number(WEB_LOOKUP_THREADS, v));
    }
    if ((v = lookup.apply(WEB_WEBSOCKET_COMPRESSION)) != null) {
      b.websocketCompression(bool(WEB_WEBSOCKET_COMPRESSION, v));
    }
    b.routes(WebSettings.parseRoutes(lookup.apply(WEB_ROUTES)));
    b.proxy(proxy());
    return b.build();
  }

  private org.fingerpost.webapp.routes.ProxySettings proxy() {
    org.fingerpost.webapp.routes.ProxySettings.Builder p = org.fingerpost.webapp.routes.ProxySettings.builder();
    String v;
    if ((v = lookup.apply(WEB_PROXY_IDLE_TIMEOUT)) != null) {
      p.idleTimeout(Duration.ofMillis(Math.round(number(WEB_PROXY_IDLE_TIMEOUT, v) * 1000)));
    }
    if ((v = lookup.apply(WEB_PROXY_MAX_BODY_BYTES)) != null) {
      p.maxBodyBytes((long) number(WEB_PROXY_MAX_BODY_BYTES, v));
    }
    p.trustedProxies(org.fingerpost.webapp.routes.ProxySettings.parseList(lookup.apply(WEB_TRUSTED_PROXIES)));
    if ((v = lookup.apply(WEB_PROXY_VIA)) != null) {
      p.via(v);
    }
    if ((v = lookup.apply(WEB_PROXY_ACCESS_LOG)) != null) {
      p.accessLog(bool(WEB_PROXY_ACCESS_LOG, v));
    }
    return p.build();
  }

  /**
   * Read protection (docs/web-tier.md "Protecting logs"): the authenticators named by {@value #AUTH_NAMES}, each
   * with its zuul.conf keys as {@code fingerpost.auth.<name>.<key>} (for example {@code
   * fingerpost.auth.zuul_operator.secret}), and the {@code fingerpost.access.<key>} keys.
   *
   * @throws IllegalArgumentException naming the key of a bad value
   */
  public AuthConfig auth() {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    String names = lookup.apply(AUTH_NAMES);
    if (names != null) {
      for (String raw : names.split(",")) {
        String name = raw.trim();
        if (name.isEmpty()) {
          continue;
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : AuthenticatorConfig.keys()) {
          String v = lookup.apply(AUTH_PREFIX + name + "." + key);
          if (v != null) {
            keys.put(key, v);
          }
        }
        sections.put("auth " + name, keys);
      }
    }
    Map<String, String> access = new LinkedHashMap<>();
    for (String key : AccessSettings.keys()) {
      String v = lookup.apply(ACCESS_PREFIX + key);
      if (v != null) {
        access.put(key, v);
      }
    }
    sections.put(AuthConfig.ACCESS_SECTION, access);
    return AuthConfig.fromSections(sections);
  }

  /**
   * The webhook configuration: keys {@code fingerpost.connection.<name>.<key>} among {@code names}
   * (system property and context parameter names; the connection name may contain dots, the key
   * does not) become section {@code connection <name>}, and the {@code fingerpost.webhooks.*} keys
   * (also as environment variables) the {@code webhooks} section.
   *
   * @throws IllegalArgumentException naming the section and key of an invalid value
   */
  public org.fingerpost.webapp.webhooks.WebhookConnections webhooks(Iterable<String> names) {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    for (String name : names) {
      if (!name.startsWith(CONNECTION_PREFIX)) {
        continue;
      }
      String rest = name.substring(CONNECTION_PREFIX.length());
      int dot = rest.lastIndexOf('.');
      String value = lookup.apply(name);
      if (dot <= 0 || value == null) {
        continue;
      }
      sections.computeIfAbsent(org.fingerpost.webapp.webhooks.WebhookConnections.CONNECTION_PREFIX
          + rest.substring(0, dot), k -> new LinkedHashMap<>()).put(rest.substring(dot + 1), value);
    }
    Map<String, String> limits = new LinkedHashMap<>();
    for (String key : new String[] {WEBHOOKS_MAX_BODY_BYTES, WEBHOOKS_PERSIST_TIMEOUT, WEBHOOKS_TOKEN_LOOKUP_TIMEOUT}) {
      String v = lookup.apply(key);
      if (v != null) {
        limits.put(key.substring("fingerpost.webhooks.".length()), v);
      }
    }
    sections.put(org.fingerpost.webapp.webhooks.WebhookConnections.LIMITS_SECTION, limits);
    return org.fingerpost.webapp.webhooks.WebhookConnections.fromSections(sections);
  }

  /** The plugins directory, or null for none. */
  public Path pluginsDir() {
    String dir = lookup.apply(TRANSPORTS_PLUGINS_DIR);
    return dir == null ? null : Path.of(dir);
  }

  public TransportSettings transports() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("connect_timeout", Long.toString((long) number(TRANSPORTS_CONNECT_TIMEOUT_MS,
        orDefault(TRANSPORTS_CONNECT_TIMEOUT_MS, "5000"))));
    m.put("buffer_bytes", Long.toString((long) number(TRANSPORTS_BUFFER_BYTES,
        orDefault(TRANSPORTS_BUFFER_BYTES, "65536"))));
    return new TransportSettings(m);
  }

  private String orDefault(String key, String fallback) {
    String v = lookup.apply(key);
    return v == null ? fallback : v;
  }

  private static boolean bool(String key, String value) {
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException(key + " must be true or false, not '" + value + "'");
  }

  private static double number(String key, String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, not '" + value + "'", e);
    }
  }
}
