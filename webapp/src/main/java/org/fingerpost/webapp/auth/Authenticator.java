package org.fingerpost.webapp.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured authenticator ({@code [auth <name>]}): checks a token's signature (by its driver),
 * then the claims exactly as Zuul's {@code JWTAuthenticator.decodeToken} does, in Zuul's order, with
 * Zuul's error names:
 *
 * <ol>
 *   <li>signature ({@code AuthTokenInvalidSignatureException}); the header's {@code alg} must be the
 *       driver's (or the JWK's) algorithm;
 *   <li>{@code exp} in the past ({@code TokenExpiredError}), {@code nbf} in the future; {@code iss}
 *       ({@code IssuerUnknownError}), {@code aud} ({@code IncorrectAudienceError}) — PyJWT's checks;
 *   <li>{@code aud}, {@code iss}, {@code exp}, {@code sub} present, {@code iat} too with
 *       {@code max_validity_time} ({@code MissingClaimError}), the uid claim ({@code MissingUIDClaimError});
 *   <li>{@code iat + skew > now}, {@code now - iat > max_validity_time} ({@code TokenExpiredError}),
 *       {@code exp + skew < now};
 *   <li>{@code zuul.admin} must be a list ({@code IncorrectZuulAdminClaimError}) and is allowed only
 *       with {@code allow_authz_override} ({@code UnauthorizedZuulAdminClaimError}).
 * </ol>
 *
 * <p>Thread-safe; subclasses hold immutable keys or a thread-safe key cache. Never logs tokens.
 */
public abstract class Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);

  protected final AuthenticatorSettings config;
  private final Clock clock;

  protected Authenticator(AuthenticatorSettings config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  public AuthenticatorSettings config() {
    return config;
  }

  public String realm() {
    return config.realm();
  }

  /**
   * Whether checking {@code jwt} may block (fetch keys over the network). Default: never; an OpenID
   * Connect authenticator may, unless the token's key is cached.
   */
  protected boolean mayBlock(SignedJWT jwt) {
    return false;
  }

  /** Checks the signature of {@code jwt}, or throws the refusal. */
  protected abstract void verify(SignedJWT jwt) throws AuthError;

  /** What clients learn about this realm ({@code capabilities.auth.realms[realm]}, as Zuul reports it). */
  public Map<String, Object> capabilities() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("authority", config.authority());
    m.put("client_id", config.clientId());
    m.put("type", "JWT");
    m.put("driver", config.driverName());
    return m;
  }

  protected AuthError refuse(String name, String description) {
    return AuthError.unauthorized(name, description, realm());
  }

  /** Validates {@code jwt} (already parsed) and returns who it is. */
  public AuthenticatedUser authenticate(SignedJWT jwt) throws AuthError {
    verify(jwt);
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw refuse(AuthError.UNDECODED, "Auth Token could not be decoded");
    }
    Instant now = clock.instant();
    // PyJWT's checks inside jwt.decode (leeway 0).
    Date exp = claims.getExpirationTime();
    if (exp != null && !exp.toInstant().isAfter(now)) {
      throw refuse(AuthError.EXPIRED, "Token has expired");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().isAfter(now)) {
      throw refuse(AuthError.UNAUTHORIZED, "The token is not yet valid (nbf)");
    }
    if (!config.issuer().equals(claims.getIssuer())) {
      throw refuse(AuthError.ISSUER_UNKNOWN, "Issuer unknown");
    }
    List<String> aud = claims.getAudience();
    String expected = config.audience();
    if (claims.getClaim("aud") != null && (expected == null || !aud.contains(expected))) {
      throw refuse(AuthError.INCORRECT_AUDIENCE, "Incorrect audience");
    }
    // Zuul's own checks.
    Map<String, Object> all = claims.getClaims();
    if (!all.containsKey("aud") || !all.containsKey("iss") || !all.containsKey("exp") || !all.containsKey("sub")) {
      throw refuse(AuthError.MISSING_CLAIM, "Token is missing claims");
    }
    if (config.maxValidityTime() != null && claims.getIssueTime() == null) {
      throw refuse(AuthError.MISSING_CLAIM, "Missing \"iat\" claim");
    }
    Object uid = all.get(config.uidClaim());
    if (uid == null) {
      throw refuse(AuthError.MISSING_UID_CLAIM, "Token is missing id claim");
    }
    long nowS = now.getEpochSecond();
    long iat = claims.getIssueTime() == null ? 0 : claims.getIssueTime().toInstant().getEpochSecond();
    long skew = config.skew().getSeconds();
    if (iat + skew > nowS) {
      throw refuse(AuthError.UNAUTHORIZED, "\"iat\" claim set in the future");
    }
    if (config.maxValidityTime() != null && (nowS - iat) * 1000 > config.maxValidityTime().toMillis()) {
      throw refuse(AuthError.EXPIRED, "Token was issued too long ago");
    }
    if (exp.toInstant().getEpochSecond() + skew < nowS) {
      throw refuse(AuthError.EXPIRED, "Token has expired");
    }
    Object zuul = all.get("zuul");
    Object admin = zuul instanceof Map<?, ?> z ? z.get("admin") : null;
    if (admin != null && !(admin instanceof List<?>)) {
      throw refuse(AuthError.INCORRECT_ADMIN_CLAIM, "The \"zuul.admin\" claim is expected to be a list of tenants");
    }
    if (admin != null && !((List<?>) admin).isEmpty()) {
      if (!config.allowAuthzOverride()) {
        LOG.info("Issuer \"{}\" attempt to override User \"{}\" authorization denied", claims.getIssuer(), uid);
        throw refuse(AuthError.UNAUTHORIZED_ADMIN_CLAIM, "Issuer is not allowed to set \"zuul.admin\" claim");
      }
      LOG.info("Issuer \"{}\" attempt to override User \"{}\" authorization granted", claims.getIssuer(), uid);
    }
    return new AuthenticatedUser(realm(), String.valueOf(uid), all);
  }

  /** The header's algorithm must be {@code expected}; PyJWT refuses others before any key is used. */
  protected void requireAlgorithm(SignedJWT jwt, String expected) throws AuthError {
    if (!jwt.getHeader().getAlgorithm().getName().equals(expected)) {
      throw refuse(AuthError.UNAUTHORIZED, "The specified alg value is not allowed");
    }
  }
}
