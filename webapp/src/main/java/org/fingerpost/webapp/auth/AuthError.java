package org.fingerpost.webapp.auth;

/**
 * A refused token, named as Zuul names it ({@code zuul/exceptions.py}): {@link #name()} is Zuul's
 * exception class name (the websocket's close reason, the {@code error} of {@code WWW-Authenticate}),
 * {@link #description()} its message, {@link #status()} Zuul's HTTP status. Never carries the token.
 */
public final class AuthError extends Exception {
  private static final long serialVersionUID = 1L;

  /** No token at all on the console-stream (first message and upgrade request). */
  public static final String MISSING_AUTH = "MissingAuthError";
  /** No bearer token on a REST request. */
  public static final String BEARER_REQUIRED = "BearerTokenRequiredError";
  public static final String UNDECODED = "AuthTokenUndecodedException";
  public static final String INVALID_SIGNATURE = "AuthTokenInvalidSignatureException";
  public static final String EXPIRED = "TokenExpiredError";
  public static final String ISSUER_UNKNOWN = "IssuerUnknownError";
  public static final String INCORRECT_AUDIENCE = "IncorrectAudienceError";
  public static final String MISSING_CLAIM = "MissingClaimError";
  public static final String MISSING_UID_CLAIM = "MissingUIDClaimError";
  public static final String INCORRECT_ADMIN_CLAIM = "IncorrectZuulAdminClaimError";
  public static final String UNAUTHORIZED_ADMIN_CLAIM = "UnauthorizedZuulAdminClaimError";
  public static final String UNAUTHORIZED = "AuthTokenUnauthorizedException";
  public static final String JWKS = "JWKSException";

  private final String name;
  private final String realm;
  private final int status;

  AuthError(String name, String description, String realm, int status) {
    super(description, null, false, false);
    this.name = name;
    this.realm = realm;
    this.status = status;
  }

  /** A 401 refusal (Zuul's {@code AuthTokenUnauthorizedException} family). */
  static AuthError unauthorized(String name, String description, String realm) {
    return new AuthError(name, description, realm, 401);
  }

  /** Zuul's {@code JWKSException}: the identity provider's keys could not be had (HTTP 400 in Zuul). */
  static AuthError jwks(String description, String realm) {
    return new AuthError(JWKS, description, realm, 400);
  }

  /** Zuul's exception class name. */
  public String name() {
    return name;
  }

  /** What went wrong, for the user (Zuul's message). */
  public String description() {
    return getMessage();
  }

  /** The realm of the authenticator that refused, or the default realm; may be null. */
  public String realm() {
    return realm;
  }

  /** Zuul's HTTP status for it. */
  public int status() {
    return status;
  }

  /** {@code Bearer realm="..." error="..." error_description="..."}, Zuul's header value. */
  public String wwwAuthenticate() {
    return "Bearer realm=\"" + quote(realm == null ? "" : realm) + "\" error=\"" + quote(name)
        + "\" error_description=\"" + quote(description()) + "\"";
  }

  private static String quote(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace('\r', ' ').replace('\n', ' ');
  }
}
