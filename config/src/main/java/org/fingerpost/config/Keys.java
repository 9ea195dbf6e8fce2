package org.fingerpost.config;

import static org.fingerpost.config.Key.Type.BOOLEAN;
import static org.fingerpost.config.Key.Type.INTEGER;
import static org.fingerpost.config.Key.Type.LONG;
import static org.fingerpost.config.Key.Type.NUMBER;
import static org.fingerpost.config.Key.Type.TEXT;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The key catalogue: every configuration key once, in the order docs/configuration.md lists them.
 * Adding a key is one line here (and its row in the doc, which {@code ConfigurationDocTest} checks).
 * Roles: {@code g} gateway, {@code s} streamer, {@code w} web, {@code a} the WAR. Immutable.
 */
public final class Keys {
  private static final List<Key> ALL = new ArrayList<>();

  public static final String ZOOKEEPER = "zookeeper";
  public static final String FINGERGW = "fingergw";
  public static final String EXECUTOR = "executor";
  public static final String TRANSPORTS = "transports";
  public static final String WEB = "web";
  public static final String WEBHOOKS = "webhooks";
  public static final String ACCESS = "access";
  /** Named sections: {@code [auth <name>]} (authenticators) and {@code [connection <name>]} (webhooks). */
  public static final String AUTH = "auth";
  public static final String CONNECTION = "connection";

  public static final Key ZK_HOSTS = k(ZOOKEEPER, "hosts", TEXT, null, "", "gswa", "`host:port[,host:port…][/chroot]` of ZooKeeper; required");
  public static final Key ZK_SESSION_TIMEOUT = k(ZOOKEEPER, "session_timeout", NUMBER, "120", "seconds", "gswa", "ZooKeeper session timeout (Zuul's default)");
  public static final Key ZK_CONNECTION_TIMEOUT = k(ZOOKEEPER, "connection_timeout", NUMBER, "10", "seconds", "gswa", "wait for the first connection at start; then the daemon starts anyway and keeps retrying");
  public static final Key ZK_ROOT = k(ZOOKEEPER, "root", TEXT, "/zuul", "", "gswa", "root node of the registry (under the chroot of `hosts`, if any)");
  public static final Key ZK_MODEL_API = k(ZOOKEEPER, "model_api", INTEGER, "33", "", "gswa", "data-model version registered while no Zuul component is in the registry to follow");
  public static final Key ZK_CLIENT_SOCKET = k(ZOOKEEPER, "client_socket", TEXT, "nio", "", "gswa", "the ZooKeeper client's socket: `nio` or `netty` (fewer system calls under many writes)");
  public static final Key ZK_TLS_CERT = k(ZOOKEEPER, "tls_cert", TEXT, null, "", "gswa", "ZooKeeper TLS: PEM client certificate (`tls_cert`, `tls_key`, `tls_ca`: all three or none)");
  public static final Key ZK_TLS_KEY = k(ZOOKEEPER, "tls_key", TEXT, null, "", "gswa", "ZooKeeper TLS: PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC)");
  public static final Key ZK_TLS_CA = k(ZOOKEEPER, "tls_ca", TEXT, null, "", "gswa", "ZooKeeper TLS: PEM CA bundle");

  public static final Key GW_LISTEN_ADDRESS = k(FINGERGW, "listen_address", TEXT, "::", "", "g", "address the gateway binds");
  public static final Key GW_PORT = k(FINGERGW, "port", INTEGER, "79", "port", "g", "TCP port the gateway binds");
  public static final Key GW_PUBLIC_PORT = k(FINGERGW, "public_port", INTEGER, null, "port", "g", "port others use to reach this gateway (registered)");
  public static final Key GW_HOSTNAME = k(FINGERGW, "hostname", TEXT, null, "", "g", "name others use to reach this gateway (registered)");
  public static final Key GW_ZONE = k(FINGERGW, "zone", TEXT, null, "", "g", "the gateway's zone, input of the routing rule");
  public static final Key GW_USER = k(FINGERGW, "user", TEXT, null, "", "g", "accepted for zuul.conf compatibility, ignored");
  public static final Key GW_REQUEST_TIMEOUT = k(FINGERGW, "request_timeout", NUMBER, "10", "seconds", "g", "time a client has to send its request line");
  public static final Key GW_LOOKUP_THREADS = k(FINGERGW, "lookup_threads", INTEGER, "8", "threads", "g", "registry lookups of new clients");
  public static final Key GW_LOOKUP_RATE = own(FINGERGW, "lookup_rate", NUMBER, "50", "lookups per second", "g", "build requests per second per client address; past it `Too many requests`; 0: no limit");
  public static final Key GW_LOOKUP_BURST = own(FINGERGW, "lookup_burst", INTEGER, "1000", "lookups", "g", "build requests one client address may make at once");
  public static final Key GW_SHARED_WINDOW_BYTES = k(FINGERGW, "shared_window_bytes", LONG, "4194304", "bytes", "g", "each build's log kept for clients joining a shared upstream late");
  public static final Key GW_VIEWER_BUFFER_BYTES = k(FINGERGW, "viewer_buffer_bytes", LONG, "1048576", "bytes", "g", "bytes that may wait for one client behind its shared upstream");
  public static final Key GW_CATCHUP_UPSTREAMS = k(FINGERGW, "catchup_upstreams", INTEGER, "4", "upstreams", "g", "catch-up upstreams per build for late and slower clients");
  public static final Key GW_SLOW_CLIENT_TIMEOUT = k(FINGERGW, "slow_client_timeout", NUMBER, "600", "seconds", "g", "a client taking no byte of a pending write before it is closed");
  public static final Key GW_MAX_CONNECTIONS = own(FINGERGW, "max_connections", INTEGER, "8192", "connections", "g", "open client connections in all; past it a client reads `Too many connections`; 0: no limit");
  public static final Key GW_MAX_CONNECTIONS_PER_IP = own(FINGERGW, "max_connections_per_ip", INTEGER, "1024", "connections", "g", "open client connections from one address (web nodes and other zones' gateways count too); 0: no limit");
  public static final Key GW_ACCEPT_QUEUE = own(FINGERGW, "accept_queue", INTEGER, "1024", "connections", "g", "listen backlog of the finger port (capped by the kernel's `somaxconn`)");
  public static final Key GW_TLS_CERT = k(FINGERGW, "tls_cert", TEXT, null, "", "gwa", "PEM certificate of the gateway's port and of every node's outgoing TLS hops");
  public static final Key GW_TLS_KEY = k(FINGERGW, "tls_key", TEXT, null, "", "gwa", "PEM private key of `tls_cert`");
  public static final Key GW_TLS_CA = k(FINGERGW, "tls_ca", TEXT, null, "", "gwa", "PEM CA bundle peers are checked against");
  public static final Key GW_TLS_VERIFY_HOSTNAMES = k(FINGERGW, "tls_verify_hostnames", BOOLEAN, "true", "", "gwa", "outgoing TLS hops check the peer's name");
  public static final Key GW_TLS_CLIENT_ONLY = k(FINGERGW, "tls_client_only", BOOLEAN, "false", "", "g", "TLS only on outgoing hops; the port stays plain");
  public static final Key GW_PROMETHEUS_PORT = k(FINGERGW, "prometheus_port", INTEGER, null, "port", "g", "monitoring listener; unset: none, 0: any free port");
  public static final Key GW_PROMETHEUS_ADDR = k(FINGERGW, "prometheus_addr", TEXT, "0.0.0.0", "", "g", "address of the monitoring listener");
  public static final Key GW_MONITORING_PORT = own(FINGERGW, "monitoring_port", INTEGER, null, "port", "g", "deprecated alias of `prometheus_port`");

  public static final Key EX_LISTEN_ADDRESS = k(EXECUTOR, "listen_address", TEXT, "::", "", "s", "address the streamer binds");
  public static final Key EX_FINGER_PORT = k(EXECUTOR, "finger_port", INTEGER, "7900", "port", "s", "TCP port the streamer binds (its `log_port`)");
  public static final Key EX_JOB_DIR = k(EXECUTOR, "job_dir", TEXT, null, "", "s", "directory of `<uuid>/work/logs/job-output.txt`; required");
  public static final Key EX_ZONE = k(EXECUTOR, "zone", TEXT, null, "", "s", "the executor's zone");
  public static final Key EX_HOSTNAME = k(EXECUTOR, "hostname", TEXT, null, "", "s", "name gateways use to reach this streamer");
  public static final Key EX_TENANT = k(EXECUTOR, "tenant", TEXT, "default", "", "s", "`tenant_name` of published build nodes");
  public static final Key EX_PUBLISH_BUILDS = own(EXECUTOR, "publish_builds", BOOLEAN, "true", "", "s", "publish build nodes (standalone)");
  public static final Key EX_MAX_CONNECTIONS = own(EXECUTOR, "max_connections", INTEGER, "8192", "connections", "s", "as `fingergw.max_connections`, for the streamer's port");
  public static final Key EX_MAX_CONNECTIONS_PER_IP = own(EXECUTOR, "max_connections_per_ip", INTEGER, "0", "connections", "s", "open connections from one address; 0 (default): no limit, the streamer's clients are gateways and web nodes");
  public static final Key EX_ACCEPT_QUEUE = own(EXECUTOR, "accept_queue", INTEGER, "1024", "connections", "s", "as `fingergw.accept_queue`");
  public static final Key EX_POLL_INTERVAL_MS = k(EXECUTOR, "poll_interval_ms", LONG, "250", "milliseconds", "s", "fallback checks of followed logs");
  public static final Key EX_TLS_CERT = k(EXECUTOR, "tls_cert", TEXT, null, "", "s", "PEM certificate of the streamer's TLS port");
  public static final Key EX_TLS_KEY = k(EXECUTOR, "tls_key", TEXT, null, "", "s", "PEM private key of `tls_cert`");
  public static final Key EX_TLS_CA = k(EXECUTOR, "tls_ca", TEXT, null, "", "s", "PEM CA bundle of gateways' client certificates");
  public static final Key EX_PROMETHEUS_PORT = k(EXECUTOR, "prometheus_port", INTEGER, null, "port", "s", "monitoring listener; unset: none");
  public static final Key EX_PROMETHEUS_ADDR = k(EXECUTOR, "prometheus_addr", TEXT, "0.0.0.0", "", "s", "address of the monitoring listener");
  public static final Key EX_MONITORING_PORT = own(EXECUTOR, "monitoring_port", INTEGER, null, "port", "s", "deprecated alias of `prometheus_port`");

  public static final Key TR_PLUGINS_DIR = k(TRANSPORTS, "plugins_dir", TEXT, "plugins", "", "gwa", "directory of third-party transport jars");
  public static final Key TR_CONNECT_TIMEOUT_MS = k(TRANSPORTS, "connect_timeout_ms", LONG, "5000", "milliseconds", "gwa", "connecting to an upstream");
  public static final Key TR_BUFFER_BYTES = k(TRANSPORTS, "buffer_bytes", INTEGER, "65536", "bytes", "gwa", "read from an upstream at a time");
  public static final Key TR_TLS_PROVIDER = k(TRANSPORTS, "tls_provider", TEXT, "conscrypt", "", "gswa", "`conscrypt` or `jdk`");
  public static final Key TR_TLS_RELOAD_INTERVAL_MS = k(TRANSPORTS, "tls_reload_interval_ms", LONG, "30000", "milliseconds", "gswa", "checks of the TLS files for replacements");

  public static final Key WEB_LISTEN_ADDRESS = k(WEB, "listen_address", TEXT, "127.0.0.1", "", "w", "address the web tier binds");
  public static final Key WEB_PORT = k(WEB, "port", INTEGER, "9000", "port", "w", "HTTP port of the web tier");
  public static final Key WEB_MAX_CONNECTIONS = own(WEB, "max_connections", INTEGER, "8192", "connections", "wa", "open HTTP and websocket connections in all; at it the port stops accepting; 0: no limit");
  public static final Key WEB_MAX_CONNECTIONS_PER_IP = own(WEB, "max_connections_per_ip", INTEGER, "1024", "connections", "wa", "open HTTP and websocket connections from one address (a reverse proxy is one address); 0: no limit");
  public static final Key WEB_ACCEPT_QUEUE = own(WEB, "accept_queue", INTEGER, "1024", "connections", "wa", "listen backlog of the web port");
  public static final Key WEB_ZONE = k(WEB, "zone", TEXT, null, "", "wa", "the web node's zone");
  public static final Key WEB_SEND_BUFFER_BYTES = k(WEB, "send_buffer_bytes", INTEGER, "1048576", "bytes", "wa", "log text queued per websocket");
  public static final Key WEB_SEND_BUFFER_BUDGET_BYTES = k(WEB, "send_buffer_budget_bytes", LONG, "268435456", "bytes", "wa", "log text queued for all websockets of a node");
  public static final Key WEB_SLOW_CLIENT_TIMEOUT = k(WEB, "slow_client_timeout", NUMBER, "10", "seconds", "wa", "full send buffer before the client is closed");
  public static final Key WEB_MAX_REQUEST_BYTES = k(WEB, "max_request_bytes", INTEGER, "16384", "bytes", "wa", "largest first websocket message");
  public static final Key WEB_PING_INTERVAL = k(WEB, "ping_interval", NUMBER, "20", "seconds", "wa", "between websocket pings");
  public static final Key WEB_LOOKUP_THREADS = k(WEB, "lookup_threads", INTEGER, "8", "threads", "wa", "registry lookups of new websockets");
  public static final Key WEB_LOOKUP_RATE = own(WEB, "lookup_rate", NUMBER, "50", "lookups per second", "wa", "console-stream requests per second per client address; past it close 1013; 0: no limit");
  public static final Key WEB_LOOKUP_BURST = own(WEB, "lookup_burst", INTEGER, "1000", "lookups", "wa", "console-stream requests one client address may make at once");
  public static final Key WEB_ALLOWED_ORIGINS = own(WEB, "allowed_origins", TEXT, null, "", "wa", "websocket `Origin`s allowed besides the request's own host; `*` any");
  public static final Key WEB_ROUTES = k(WEB, "routes", TEXT, null, "", "wa", "routing table `/prefix/=http://backend:port/[,...]`");
  public static final Key WEB_SHARED_WINDOW_BYTES = k(WEB, "shared_window_bytes", LONG, "4194304", "bytes", "wa", "as `fingergw.shared_window_bytes`");
  public static final Key WEB_VIEWER_BUFFER_BYTES = k(WEB, "viewer_buffer_bytes", LONG, "1048576", "bytes", "wa", "as `fingergw.viewer_buffer_bytes`");
  public static final Key WEB_CATCHUP_UPSTREAMS = k(WEB, "catchup_upstreams", INTEGER, "4", "upstreams", "wa", "as `fingergw.catchup_upstreams`");
  public static final Key WEB_WEBSOCKET_COMPRESSION = k(WEB, "websocket_compression", BOOLEAN, "false", "", "wa", "let websockets negotiate permessage-deflate");
  public static final Key WEB_PROXY_IDLE_TIMEOUT = k(WEB, "proxy_idle_timeout", NUMBER, "300", "seconds", "wa", "a proxied exchange or websocket may be silent on either hop");
  public static final Key WEB_PROXY_MAX_BODY_BYTES = k(WEB, "proxy_max_body_bytes", LONG, "1073741824", "bytes", "wa", "largest request body proxied to a route; larger gets 413");
  public static final Key WEB_TRUSTED_PROXIES = k(WEB, "trusted_proxies", TEXT, null, "", "wa", "addresses / CIDR ranges whose forwarding headers routes keep");
  public static final Key WEB_PROXY_VIA = k(WEB, "proxy_via", TEXT, "fingerpost", "", "wa", "the `Via` pseudonym of proxied requests; empty or `-`: none");
  public static final Key WEB_PROXY_ACCESS_LOG = k(WEB, "proxy_access_log", BOOLEAN, "false", "", "wa", "one log line per proxied request");
  public static final Key WEB_PROMETHEUS_PORT = k(WEB, "prometheus_port", INTEGER, null, "port", "w", "monitoring listener; unset: none");
  public static final Key WEB_PROMETHEUS_ADDR = k(WEB, "prometheus_addr", TEXT, "0.0.0.0", "", "w", "address of the monitoring listener");
  public static final Key WEB_MONITORING_PORT = own(WEB, "monitoring_port", INTEGER, null, "port", "w", "deprecated alias of `prometheus_port`");

  public static final Key WEBHOOKS_MAX_BODY_BYTES = k(WEBHOOKS, "max_body_bytes", LONG, "26214400", "bytes", "wa", "largest webhook body");
  public static final Key WEBHOOKS_PERSIST_TIMEOUT = k(WEBHOOKS, "persist_timeout", NUMBER, "8", "seconds", "wa", "wait for ZooKeeper's confirmation of an event");
  public static final Key WEBHOOKS_BATCH_WRITES = k(WEBHOOKS, "batch_writes", BOOLEAN, "true", "", "wa", "under load, several events in one ZooKeeper transaction");
  public static final Key WEBHOOKS_TOKEN_LOOKUP_TIMEOUT = k(WEBHOOKS, "token_lookup_timeout", NUMBER, "5", "seconds", "wa", "Pagure project-token lookup");

  public static final Key ACCESS_TENANT_CONFIG = k(ACCESS, "tenant_config", TEXT, null, "", "wa", "tenant rules file; unset: Zuul's rules in ZooKeeper");
  public static final Key ACCESS_RULES_WAIT = k(ACCESS, "rules_wait", NUMBER, "10", "seconds", "wa", "wait for rules not known yet");
  public static final Key ACCESS_JWKS_MIN_REFETCH = k(ACCESS, "jwks_min_refetch", NUMBER, "30", "seconds", "wa", "between key-set refetches for unknown key ids");
  public static final Key ACCESS_JWKS_MAX_AGE = k(ACCESS, "jwks_max_age", NUMBER, "3600", "seconds", "wa", "age of a fetched key set");
  public static final Key ACCESS_JWKS_FETCH_TIMEOUT = k(ACCESS, "jwks_fetch_timeout", NUMBER, "10", "seconds", "wa", "per key-set request");

  private static final Map<String, List<Key>> NAMED = new LinkedHashMap<>();

  static {
    named(AUTH, "driver", null, "", "`HS256`, `RS256` or `OpenIDConnect`; required");
    named(AUTH, "secret", null, "", "HS256: the shared secret");
    named(AUTH, "public_key", null, "", "RS256: PEM file of the public key");
    named(AUTH, "private_key", null, "", "accepted as Zuul's");
    named(AUTH, "keys_url", null, "", "OpenIDConnect: the JWKS URL");
    named(AUTH, "issuer_id", null, "", "expected `iss`; required");
    named(AUTH, "authority", null, "", "reported to clients");
    named(AUTH, "client_id", null, "", "the client id");
    named(AUTH, "audience", null, "", "expected `aud`");
    named(AUTH, "realm", null, "", "the realm reported to clients");
    named(AUTH, "uid_claim", "sub", "", "the claim naming the user");
    named(AUTH, "skew", "0", "seconds", "clock difference tolerated");
    named(AUTH, "max_validity_time", null, "seconds", "longest accepted token age");
    named(AUTH, "allow_authz_override", null, "", "honour the token's `zuul.admin` claim");
    named(AUTH, "default", null, "", "the authenticator reported first");
    named(AUTH, "scope", null, "", "OpenIDConnect: reported to clients");
    named(AUTH, "load_user_info", null, "", "OpenIDConnect: reported to clients");
    named(CONNECTION, "driver", null, "", "`github`, `gitlab` or `pagure` receive webhooks");
    named(CONNECTION, "webhook_token", null, "", "GitHub's HMAC secret, GitLab's token");
    named(CONNECTION, "server", null, "", "Pagure: the server");
    named(CONNECTION, "baseurl", null, "", "Pagure: base URL");
    named(CONNECTION, "api_token", null, "", "Pagure: API token of the project-token lookup");
    named(CONNECTION, "source_whitelist", null, "", "Pagure: peers whose deliveries skip the signature check");
  }

  private Keys() {}

  /** Every key, named sections' last, in catalogue order. */
  public static List<Key> all() {
    return Collections.unmodifiableList(ALL);
  }

  /** The plain sections (not named), in catalogue order. */
  public static Set<String> sections() {
    Set<String> s = new java.util.LinkedHashSet<>();
    ALL.stream().filter(k -> !k.named()).forEach(k -> s.add(k.section()));
    return s;
  }

  /** The key {@code name} of plain section {@code section}, or null. */
  public static Key find(String section, String name) {
    for (Key k : ALL) {
      if (!k.named() && k.section().equals(section) && k.name().equals(name)) {
        return k;
      }
    }
    return null;
  }

  /** The keys of a named section's kind ({@link #AUTH}, {@link #CONNECTION}). */
  public static List<Key> named(String kind) {
    return NAMED.getOrDefault(kind, List.of());
  }

  /** The key names of a named section's kind. */
  public static Set<String> namedKeys(String kind) {
    Set<String> s = new java.util.LinkedHashSet<>();
    named(kind).forEach(k -> s.add(k.name()));
    return Collections.unmodifiableSet(s);
  }

  /** A key of a named section: text, checked by its reader; other keys are the reader's to refuse or ignore. */
  private static void named(String kind, String name, String defaultValue, String unit, String doc) {
    Key key = new Key(kind + " <name>", name, TEXT, defaultValue, unit, doc, roles("wa"), true);
    ALL.add(key);
    NAMED.computeIfAbsent(kind, x -> new ArrayList<>()).add(key);
  }

  private static Key k(String section, String name, Key.Type type, String def, String unit, String roles, String doc) {
    Key key = new Key(section, name, type, def, unit, doc, roles(roles), true);
    ALL.add(key);
    return key;
  }

  /** A Fingerpost-only key: a zuul.conf never sets it. */
  private static Key own(String section, String name, Key.Type type, String def, String unit, String roles, String doc) {
    Key key = new Key(section, name, type, def, unit, doc, roles(roles), false);
    ALL.add(key);
    return key;
  }

  private static Set<Key.Role> roles(String letters) {
    Set<Key.Role> r = EnumSet.noneOf(Key.Role.class);
    for (char c : letters.toCharArray()) {
      r.add(switch (c) {
        case 'g' -> Key.Role.GATEWAY;
        case 's' -> Key.Role.STREAMER;
        case 'w' -> Key.Role.WEB;
        case 'a' -> Key.Role.WAR;
        default -> throw new IllegalArgumentException("role " + c);
      });
    }
    return r;
  }
}
