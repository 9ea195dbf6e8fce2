package org.fingerpost.webapp.auth;

/**
 * The outcome of {@link AccessControl#authorize}: granted; refused for the token ({@link #error()},
 * HTTP 401/400, websocket 4000 with the error name); denied for a valid token no rule grants (403,
 * websocket 4000 {@code Authorization error}); or unavailable while the rules are unknown (503,
 * websocket 4011). Immutable.
 */
public record AccessDecision(Outcome outcome, AuthError error, String realm) {
  public enum Outcome { GRANTED, REFUSED, DENIED, UNAVAILABLE }

  /** The websocket close reason of a denied token, as Zuul sends it. */
  public static final String AUTHORIZATION_ERROR = "Authorization error";
  /** The websocket close reason and REST message while rules are unknown. */
  public static final String RULES_UNAVAILABLE = "Access rules unavailable";

  static final AccessDecision GRANTED = new AccessDecision(Outcome.GRANTED, null, null);
  static final AccessDecision UNAVAILABLE = new AccessDecision(Outcome.UNAVAILABLE, null, null);

  public boolean granted() {
    return outcome == Outcome.GRANTED;
  }
}
