package org.fingerpost.webapp.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of one OpenID Connect identity provider: its JWKS, fetched over HTTP(S) from
 * {@code keys_url} or from the {@code jwks_uri} of {@code <issuer>/.well-known/openid-configuration},
 * and cached.
 *
 * <p><b>Rotation.</b> A token whose {@code kid} is not in the cache makes the set be fetched again,
 * at most once per {@code minRefetch} (an attacker sending made-up key ids cannot make this node
 * hammer the provider); a cache older than {@code maxAge} is refreshed on use. A failed fetch keeps
 * the previous keys and is logged; the token gets Zuul's {@code JWKSException}.
 *
 * <p><b>Threads.</b> Lookups of cached keys take no lock; fetches are serialised (one at a time, the
 * callers of the same moment share its result). Fetches block the calling thread up to {@code
 * timeout} per request: callers are the web tier's lookup threads, never a network thread.
 */
final class JwksKeys {
  private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String DISCOVERY = ".well-known/openid-configuration";

  private final String name;
  private final String realm;
  private final String issuer;
  private final String configuredKeysUrl;
  private final HttpClient http;
  private final AccessSettings settings;
  private final LongSupplier nanoTime;

  private record Cached(JWKSet keys, long fetchedAt) {}

  private volatile Cached cached;
  private volatile URI keysUrl;
  private long lastAttempt;
  private boolean attempted;

  JwksKeys(AuthenticatorSettings config, HttpClient http, AccessSettings settings, LongSupplier nanoTime) {
    this.name = config.name();
    this.realm = config.realm();
    this.issuer = config.issuer();
    this.configuredKeysUrl = config.get("keys_url");
    this.http = http;
    this.settings = settings;
    this.nanoTime = nanoTime;
  }

  /** Whether {@link #key} would answer {@code kid} from the cache, without fetching. */
  boolean hasFresh(String kid) {
    Cached c = cached;
    return c != null && nanoTime.getAsLong() - c.fetchedAt() < settings.jwksMaxAge().toNanos()
        && c.keys().getKeyByKeyId(kid) != null;
  }

  /** The key with {@code kid}, fetching the set when it is unknown or old. */
  JWK key(String kid) throws AuthError {
    Cached c = cached;
    long now = nanoTime.getAsLong();
    if (c != null && now - c.fetchedAt() < settings.jwksMaxAge().toNanos()) {
      JWK k = c.keys().getKeyByKeyId(kid);
      if (k != null) {
        return k;
      }
    }
    synchronized (this) {
      c = cached;
      now = nanoTime.getAsLong();
      boolean fresh = c != null && now - c.fetchedAt() < settings.jwksMaxAge().toNanos();
      JWK k = c == null ? null : c.keys().getKeyByKeyId(kid);
      if (k != null && fresh) {
        return k; // another thread fetched it meanwhile
      }
      if (attempted && now - lastAttempt < settings.jwksMinRefetch().toNanos()) {
        if (k != null) {
          return k; // stale but refetching is rate-limited
        }
        throw AuthError.jwks("Unable to find a signing key that matches the token's key id", realm);
      }
      attempted = true;
      lastAttempt = now;
      fetch();
      k = cached == null ? null : cached.keys().getKeyByKeyId(kid);
      if (k == null) {
        throw AuthError.jwks("Unable to find a signing key that matches the token's key id", realm);
      }
      return k;
    }
  }

  private void fetch() throws AuthError {
    URI url;
    try {
      url = keysUrl();
    } catch (Exception e) {
      LOG.error("[auth {}]: Could not fetch OpenID configuration at {}: {}", name, discoveryUrl(), e.toString());
      throw AuthError.jwks("There was an error while fetching OpenID configuration, check logs for details", realm);
    }
    try {
      String body = get(url);
      JWKSet set = JWKSet.parse(body);
      cached = new Cached(set, nanoTime.getAsLong());
      LOG.info("[auth {}]: fetched {} signing key(s) from {}", name, set.getKeys().size(), url);
    } catch (Exception e) {
      LOG.error("[auth {}]: Could not fetch Identity Provider keys at {}: {}", name, url, e.toString());
      throw AuthError.jwks("There was an error while fetching keys for Identity Provider, check logs for details",
          realm);
    }
  }

  private URI keysUrl() throws Exception {
    if (keysUrl == null) {
      if (configuredKeysUrl != null) {
        keysUrl = URI.create(configuredKeysUrl);
      } else {
        JsonNode doc = JSON.readTree(get(discoveryUrl()));
        JsonNode jwks = doc.get("jwks_uri");
        if (jwks == null || !jwks.isTextual()) {
          throw new IllegalStateException("Invalid OpenID configuration: \"jwks_uri\" not found");
        }
        keysUrl = URI.create(jwks.asText());
      }
    }
    return keysUrl;
  }

  URI discoveryUrl() {
    String base = issuer.endsWith("/") ? issuer : issuer + "/";
    return URI.create(base).resolve(DISCOVERY);
  }

  private String get(URI url) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(settings.jwksFetchTimeout())
        .header("Accept", "application/json").GET().build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + response.statusCode());
    }
    return response.body();
  }

  /** For tests and metrics: how long ago the set was fetched, or null if never. */
  Duration age() {
    Cached c = cached;
    return c == null ? null : Duration.ofNanos(nanoTime.getAsLong() - c.fetchedAt());
  }
}
