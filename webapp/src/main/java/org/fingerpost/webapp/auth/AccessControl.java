package org.fingerpost.webapp.auth;

import java.io.Closeable;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fingerpost.registry.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read protection of the web tier, Zuul's way: decides whether a request for a tenant's builds (or for
 * the API root) may be served, given the bearer token it carries. Used by the console-stream websocket
 * and the REST filter alike.
 *
 * <p>{@link #needsCheck(String)} is the cheap question asked on the request thread: false only when
 * the rules are known and do not protect the tenant. {@link #authorizeIfReady} decides on the calling
 * thread when nothing has to be waited for (rules known, keys in memory), else returns null.
 * {@link #authorize(String, String, String)} may block
 * (waiting up to {@code access.rules_wait} for unknown rules, fetching an identity provider's keys):
 * call it on a thread that may block (the web tier's lookup threads, a REST request thread).
 *
 * <p>Owns its rules source; thread-safe. Tokens are never logged or kept.
 */
public final class AccessControl implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(AccessControl.class);
  /** HTTP timeout for connecting to identity providers (key fetches have their own request timeout). */
  static final Duration HTTP_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final Authenticators authenticators;
  private final RulesSource rules;
  private final AuthMetrics metrics;
  private final Duration rulesWait;

  public AccessControl(Authenticators authenticators, RulesSource rules, AuthMetrics metrics, Duration rulesWait) {
    this.authenticators = authenticators;
    this.rules = rules;
    this.metrics = metrics;
    this.rulesWait = rulesWait;
  }

  /**
   * The access control {@code config} describes: its authenticators (identity providers reached with
   * the JVM's trust store) and its rules, from {@code access.tenant_config} or else from Zuul's
   * configuration in {@code registry}.
   *
   * @throws IllegalArgumentException for an unusable configuration
   */
  public static AccessControl create(AuthSettings config, Registry registry, AuthMetrics metrics) {
    if (config.httpClient() != null) {
      return create(config, registry, metrics, config.httpClient());
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    return create(config, registry, metrics, http);
  }

  /** As {@link #create(AuthSettings, Registry, AuthMetrics)} with the HTTP client for identity providers. */
  public static AccessControl create(AuthSettings config, Registry registry, AuthMetrics metrics, HttpClient http) {
    Authenticators auth = Authenticators.create(config, http, Clock.systemUTC());
    RulesSource source;
    if (config.access().tenantConfig() != null) {
      source = new FileRules(config.access().tenantConfig());
      LOG.info("Access rules from {}: read-protected tenants {}", config.access().tenantConfig(),
          source.current().protectedTenants());
    } else {
      source = new ZooKeeperRules(registry);
    }
    return new AccessControl(auth, source, metrics, config.access().rulesWait());
  }

  /** Whether a request for {@code tenant} (null: API root) must go through {@link #authorize}. */
  public boolean needsCheck(String tenant) {
    AccessRules r = rules.current();
    return r == null || r.isProtected(tenant);
  }

  /**
   * Decides a request for {@code tenant} (null: the API root) carrying {@code token} (null: none).
   * {@code missingName} is the error name for no token ({@link AuthError#MISSING_AUTH} on the
   * websocket, {@link AuthError#BEARER_REQUIRED} on REST).
   */
  public AccessDecision authorize(String tenant, String token, String missingName) throws InterruptedException {
    AccessRules r = rules.current();
    if (r == null) {
      r = rules.await(rulesWait);
      if (r == null) {
        LOG.warn("Access rules unknown (Zuul's tenant configuration not readable): refusing a request for {}",
            tenant == null ? "the API root" : "tenant " + tenant);
        metrics.authorization("unavailable");
        return AccessDecision.UNAVAILABLE;
      }
    }
    return decide(r, tenant, token, missingName, true);
  }

  /**
   * As {@link #authorize} when the decision can be made at once, on the calling thread (rules known,
   * no key to fetch): the usual case, which then costs no thread hop. Null otherwise: call {@link
   * #authorize} on a thread that may block.
   */
  public AccessDecision authorizeIfReady(String tenant, String token, String missingName) {
    AccessRules r = rules.current();
    return r == null ? null : decide(r, tenant, token, missingName, false);
  }

  private AccessDecision decide(AccessRules r, String tenant, String token, String missingName, boolean mayBlock) {
    if (!r.isProtected(tenant)) {
      return AccessDecision.GRANTED;
    }
    String realm = r.realm(tenant) != null ? r.realm(tenant) : authenticators.defaultRealm();
    if (token == null || token.isBlank()) {
      AuthError e = AuthError.unauthorized(missingName, "Authorization with bearer token required", realm);
      metrics.refused(e);
      metrics.authorization("denied");
      return new AccessDecision(AccessDecision.Outcome.REFUSED, e, realm);
    }
    AuthenticatedUser user;
    try {
      user = authenticators.authenticate(token, mayBlock);
      if (user == null) {
        return null; // its check would block: the caller moves to a thread that may
      }
    } catch (AuthError e) {
      metrics.refused(e);
      metrics.authorization("denied");
      LOG.info("Token refused for {}: {} ({})", tenant == null ? "the API root" : "tenant " + tenant, e.name(),
          e.description());
      return new AccessDecision(AccessDecision.Outcome.REFUSED, e, e.realm() != null ? e.realm() : realm);
    }
    metrics.accepted(user.realm());
    if (!r.allows(tenant, user)) {
      metrics.authorization("denied");
      LOG.info("User {} (realm {}) is not allowed to read {}", user.uid(), user.realm(),
          tenant == null ? "the API root" : "tenant " + tenant);
      return new AccessDecision(AccessDecision.Outcome.DENIED, null, realm);
    }
    metrics.authorization("granted");
    return AccessDecision.GRANTED;
  }

  /**
   * Zuul's {@code capabilities.auth} for {@code tenant} (null: the API root): {@code realms}, {@code
   * default_realm} (the tenant's {@code authentication-realm} if set) and {@code read_protected}.
   */
  public Map<String, Object> capabilities(String tenant) {
    Map<String, Object> m = new LinkedHashMap<>(authenticators.capabilities());
    AccessRules r = rules.current();
    if (tenant != null && r != null && r.realm(tenant) != null) {
      m.put("default_realm", r.realm(tenant));
    }
    m.put("read_protected", r == null || r.isProtected(tenant));
    return m;
  }

  public Authenticators authenticators() {
    return authenticators;
  }

  @Override
  public void close() {
    rules.close();
  }
}
