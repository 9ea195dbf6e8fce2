package org.fingerpost.webapp.auth;

import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpClient;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configured authenticators, as Zuul's {@code AuthenticatorRegistry}: a token goes to the first
 * authenticator whose {@code issuer_id} equals its (unverified) {@code iss}; none: {@code
 * IssuerUnknownError} in the default realm; not a signed JWT: {@code AuthTokenUndecodedException}.
 * The default realm is that of the authenticator with {@code default = true}, else the first one's.
 * Thread-safe; immutable after construction.
 */
public final class Authenticators {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticators.class);

  private final List<Authenticator> all;
  private final String defaultRealm;

  Authenticators(List<Authenticator> all) {
    this.all = Collections.unmodifiableList(all);
    String def = null;
    String first = null;
    for (Authenticator a : all) {
      if (first == null) {
        first = a.realm();
      }
      if (a.config().isDefault()) {
        def = a.realm() == null ? "DEFAULT" : a.realm();
      }
    }
    this.defaultRealm = def != null ? def : first;
  }

  /**
   * Builds the authenticators of {@code config}; OpenID Connect ones fetch keys with {@code http}.
   *
   * @throws IllegalArgumentException for an unusable section (for example an unreadable public key)
   */
  public static Authenticators create(AuthSettings config, HttpClient http, Clock clock) {
    List<Authenticator> list = new ArrayList<>();
    for (AuthenticatorSettings c : config.authenticators()) {
      if (c.deprecatedAlias()) {
        LOG.info("[auth {}]: driver \"RS256withJWKS\" is deprecated, please use \"OpenIDConnect\" instead", c.name());
      }
      list.add(switch (c.driver()) {
        case HS256 -> new HmacAuthenticator(c, clock);
        case RS256 -> new RsaAuthenticator(c, clock);
        case OPENID_CONNECT -> new OidcAuthenticator(c, clock, new JwksKeys(c, http, config.access(), System::nanoTime));
      });
      LOG.info("Authenticator {} (realm {})", c, c.realm());
    }
    return new Authenticators(list);
  }

  public boolean isEmpty() {
    return all.isEmpty();
  }

  public String defaultRealm() {
    return defaultRealm;
  }

  /**
   * Validates {@code token}.
   *
   * @throws AuthError with Zuul's error name; never contains the token
   */
  public AuthenticatedUser authenticate(String token) throws AuthError {
    return authenticate(token, true);
  }

  /**
   * As {@link #authenticate(String)}; with {@code mayBlock} false it returns null instead of checking
   * a token whose check could block (an identity provider's key not cached yet).
   */
  public AuthenticatedUser authenticate(String token, boolean mayBlock) throws AuthError {
    SignedJWT jwt;
    String iss;
    try {
      jwt = SignedJWT.parse(token);
      iss = jwt.getJWTClaimsSet().getIssuer();
    } catch (ParseException | RuntimeException e) {
      throw AuthError.unauthorized(AuthError.UNDECODED, "Auth Token could not be decoded", defaultRealm);
    }
    for (Authenticator a : all) {
      if (a.config().issuer().equals(iss == null ? "" : iss)) {
        if (!mayBlock && a.mayBlock(jwt)) {
          return null;
        }
        return a.authenticate(jwt);
      }
    }
    throw AuthError.unauthorized(AuthError.ISSUER_UNKNOWN, "Issuer unknown", defaultRealm);
  }

  /** {@code {"realms": {realm: {...}}, "default_realm": ...}}, Zuul's {@code capabilities.auth} base. */
  public Map<String, Object> capabilities() {
    Map<String, Object> realms = new LinkedHashMap<>();
    for (Authenticator a : all) {
      realms.put(a.realm(), a.capabilities());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("realms", realms);
    m.put("default_realm", defaultRealm);
    return m;
  }
}
