package org.fingerpost.webapp;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fingerpost.config.ConfigException;
import org.fingerpost.config.Configuration;
import org.fingerpost.config.Key;
import org.fingerpost.config.Keys;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streams.LookupRateLimit;
import org.fingerpost.transport.ListenerTls;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.webapp.auth.AuthSettings;
import org.fingerpost.webapp.routes.ProxySettings;
import org.fingerpost.webapp.routes.RoutesSetting;
import org.fingerpost.webapp.webhooks.WebhookConnections;

/**
 * The one mapping from a {@link Configuration} to the settings of a node's parts: the registry
 * (ZooKeeper TLS included), the transports (with the {@code fingergw} {@code tls_*} keys as the
 * credentials of outgoing TLS hops, as Zuul's web and gateway use them), the web tier, read protection
 * and webhooks. {@code fingerpost web}, {@code fingerpost gateway} and the WAR all call it, so a key
 * means the same wherever it is read. Stateless.
 *
 * <p>Errors: {@link ConfigException} naming the section and key (the sources already checked types).
 */
public final class NodeSettings {
  private NodeSettings() {}

  /** The registry's settings. @throws ConfigException for a missing {@code hosts} or a bad value */
  public static RegistrySettings registry(Configuration c) throws ConfigException {
    return registry(c, null);
  }

  /** As {@link #registry(Configuration)}, with {@code fallbackHosts} when {@code hosts} is unset. */
  public static RegistrySettings registry(Configuration c, String fallbackHosts) throws ConfigException {
    String hosts = c.text(Keys.ZK_HOSTS) != null || fallbackHosts == null ? c.required(Keys.ZK_HOSTS) : fallbackHosts;
    int tls = (c.isSet(Keys.ZK_TLS_CERT) ? 1 : 0) + (c.isSet(Keys.ZK_TLS_KEY) ? 1 : 0) + (c.isSet(Keys.ZK_TLS_CA) ? 1 : 0);
    if (tls != 0 && tls != 3) {
      throw new ConfigException("Invalid configuration: section 'zookeeper', keys 'tls_cert', "
          + "'tls_key' and 'tls_ca' must be given together");
    }
    int modelApi = c.integer(Keys.ZK_MODEL_API);
    if (modelApi < 0) {
      throw ConfigException.invalid(Keys.ZK_MODEL_API, "must not be negative, not " + modelApi);
    }
    return RegistrySettings.builder(hosts)
        .modelApi(modelApi)
        .sessionTimeout(positiveSeconds(c, Keys.ZK_SESSION_TIMEOUT))
        .connectionTimeout(positiveSeconds(c, Keys.ZK_CONNECTION_TIMEOUT))
        .root(c.text(Keys.ZK_ROOT))
        .tlsCert(path(c, Keys.ZK_TLS_CERT))
        .tlsKey(path(c, Keys.ZK_TLS_KEY))
        .tlsCa(path(c, Keys.ZK_TLS_CA))
        .nettyClient(nettyClient(c))
        .build();
  }

  /** The web tier's settings. @throws ConfigException naming section {@code web} */
  public static WebSettings web(Configuration c) throws ConfigException {
    try {
      return WebSettings.builder()
          .listenAddress(c.text(Keys.WEB_LISTEN_ADDRESS))
          .port(c.integer(Keys.WEB_PORT))
          .zone(c.text(Keys.WEB_ZONE))
          .sendBufferBytes(c.integer(Keys.WEB_SEND_BUFFER_BYTES))
          .sendBufferBudgetBytes(c.longValue(Keys.WEB_SEND_BUFFER_BUDGET_BYTES))
          .maxRequestBytes(c.integer(Keys.WEB_MAX_REQUEST_BYTES))
          .pingInterval(c.seconds(Keys.WEB_PING_INTERVAL))
          .slowClientTimeout(c.seconds(Keys.WEB_SLOW_CLIENT_TIMEOUT))
          .lookupThreads(c.integer(Keys.WEB_LOOKUP_THREADS))
          .routes(RoutesSetting.parse(c.text(Keys.WEB_ROUTES)))
          .sharedWindowBytes(c.longValue(Keys.WEB_SHARED_WINDOW_BYTES))
          .viewerBufferBytes(c.longValue(Keys.WEB_VIEWER_BUFFER_BYTES))
          .catchUpUpstreams(atLeastZero(c, Keys.WEB_CATCHUP_UPSTREAMS))
          .websocketCompression(c.bool(Keys.WEB_WEBSOCKET_COMPRESSION))
          .proxy(proxy(c))
          .consoleStreams(ConsoleStreamPolicy.of(ConsoleStreamPolicy.parseOrigins(c.text(Keys.WEB_ALLOWED_ORIGINS)),
              LookupRateLimit.of(c.number(Keys.WEB_LOOKUP_RATE), c.integer(Keys.WEB_LOOKUP_BURST))))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid configuration: section 'web': " + e.getMessage(), e);
    }
  }

  /** The web port's connection limits ({@code web.max_connections}, ...). @throws ConfigException naming the key */
  public static WebServer.Limits webConnectionLimits(Configuration c) throws ConfigException {
    try {
      return new WebServer.Limits(c.integer(Keys.WEB_MAX_CONNECTIONS), c.integer(Keys.WEB_MAX_CONNECTIONS_PER_IP),
          c.integer(Keys.WEB_ACCEPT_QUEUE));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid configuration: section 'web': " + e.getMessage(), e);
    }
  }

  private static ProxySettings proxy(Configuration c) {
    return ProxySettings.builder()
        .idleTimeout(c.seconds(Keys.WEB_PROXY_IDLE_TIMEOUT))
        .maxBodyBytes(c.longValue(Keys.WEB_PROXY_MAX_BODY_BYTES))
        .trustedProxies(ProxySettings.parseList(c.text(Keys.WEB_TRUSTED_PROXIES)))
        .via(c.text(Keys.WEB_PROXY_VIA) == null ? "" : c.text(Keys.WEB_PROXY_VIA))
        .accessLog(c.bool(Keys.WEB_PROXY_ACCESS_LOG))
        .build();
  }

  /** The plugins directory, or null for none. */
  public static Path pluginsDir(Configuration c) {
    String dir = c.text(Keys.TR_PLUGINS_DIR);
    return dir == null ? null : Path.of(dir);
  }

  /**
   * The settings every transport reads: the {@code transports} section plus, for the {@code tls}
   * transport, the {@code fingergw} {@code tls_*} keys (Zuul uses them for outgoing finger hops).
   */
  public static TransportSettings transports(Configuration c) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("connect_timeout", Long.toString(c.longValue(Keys.TR_CONNECT_TIMEOUT_MS)));
    m.put("buffer_bytes", Integer.toString(c.integer(Keys.TR_BUFFER_BYTES)));
    m.put(ListenerTls.PROVIDER_KEY, c.text(Keys.TR_TLS_PROVIDER));
    m.put(ListenerTls.RELOAD_INTERVAL_KEY, Long.toString(c.longValue(Keys.TR_TLS_RELOAD_INTERVAL_MS)));
    putIfSet(m, ListenerTls.CERT_KEY, c, Keys.GW_TLS_CERT);
    putIfSet(m, ListenerTls.KEY_KEY, c, Keys.GW_TLS_KEY);
    putIfSet(m, ListenerTls.CA_KEY, c, Keys.GW_TLS_CA);
    m.put(ListenerTls.VERIFY_HOSTNAMES_KEY, Boolean.toString(c.bool(Keys.GW_TLS_VERIFY_HOSTNAMES)));
    return new TransportSettings(m);
  }

  /** Read protection: the {@code auth <name>} sections and {@code access}. @throws ConfigException naming both */
  public static AuthSettings auth(Configuration c) throws ConfigException {
    Map<String, String> access = new LinkedHashMap<>();
    for (Key key : Keys.all()) {
      if (key.section().equals(Keys.ACCESS) && c.isSet(key)) {
        access.put(key.name(), c.text(key));
      }
    }
    try {
      return AuthSettings.fromSections(AuthSettings.sectionsOf(c.named(Keys.AUTH), access));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid configuration: " + e.getMessage(), e);
    }
  }

  /** {@code zookeeper.client_socket}: {@code nio} (false) or {@code netty} (true). */
  static boolean nettyClient(Configuration c) throws ConfigException {
    String socket = c.text(Keys.ZK_CLIENT_SOCKET).trim();
    if (!socket.equals("nio") && !socket.equals("netty")) {
      throw ConfigException.invalid(Keys.ZK_CLIENT_SOCKET, "must be nio or netty, not '" + socket + "'");
    }
    return socket.equals("netty");
  }

  /** The webhook connections ({@code connection <name>}) and the {@code webhooks} limits. */
  public static WebhookConnections webhooks(Configuration c) throws ConfigException {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    c.named(Keys.CONNECTION).forEach((name, keys) -> sections.put(WebhookConnections.CONNECTION_PREFIX + name, keys));
    sections.put(WebhookConnections.LIMITS_SECTION, Map.of(
        "max_body_bytes", Long.toString(c.longValue(Keys.WEBHOOKS_MAX_BODY_BYTES)),
        "persist_timeout", Double.toString(c.number(Keys.WEBHOOKS_PERSIST_TIMEOUT)),
        "token_lookup_timeout", Double.toString(c.number(Keys.WEBHOOKS_TOKEN_LOOKUP_TIMEOUT)),
        "batch_writes", Boolean.toString(c.bool(Keys.WEBHOOKS_BATCH_WRITES))));
    try {
      return WebhookConnections.fromSections(sections);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid configuration: " + e.getMessage(), e);
    }
  }

  /** A path key, null when unset. */
  public static Path path(Configuration c, Key key) {
    String v = c.text(key);
    return v == null ? null : Path.of(v);
  }

  private static java.time.Duration positiveSeconds(Configuration c, Key key) throws ConfigException {
    double v = c.number(key);
    if (!(v > 0)) {
      throw ConfigException.invalid(key, "must be a positive number of seconds, not " + v);
    }
    return c.seconds(key);
  }

  private static void putIfSet(Map<String, String> m, String name, Configuration c, Key key) {
    if (c.isSet(key)) {
      m.put(name, c.text(key));
    }
  }

  private static int atLeastZero(Configuration c, Key key) throws ConfigException {
    int v = c.integer(key);
    if (v < 0) {
      throw ConfigException.invalid(key, "must be at least 0, not " + v);
    }
    return v;
  }
}
