package org.fingerpost.webapp.auth;

import java.util.Map;

/**
 * A validated token's claims: {@code claims} as JSON values (maps, lists, strings, numbers), the uid
 * (value of the authenticator's {@code uid_claim}) and the realm of the authenticator that accepted it.
 * Immutable; holds no raw token.
 */
public record AuthenticatedUser(String realm, String uid, Map<String, Object> claims) {
  public AuthenticatedUser {
    // Not Map.copyOf: a token may carry JSON nulls.
    claims = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(claims));
  }
}
