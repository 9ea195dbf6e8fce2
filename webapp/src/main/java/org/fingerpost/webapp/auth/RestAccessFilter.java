package org.fingerpost.webapp.auth;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/**
 * Read protection of the REST API (a Jersey request filter, after matching):
 *
 * <ul>
 *   <li>every path under {@code /api/tenant/{tenant}/} or {@code /fingerpost/api/tenant/{tenant}/}
 *       except {@code .../tenant/{tenant}/info} needs access to {@code tenant} (the build route, the
 *       running builds and any build list or metadata under it);
 *   <li>{@code /api/components} and {@code /fingerpost/api/components} need access to the API root
 *       ({@code api-root} access rules);
 *   <li>{@code /api/info}, {@code /fingerpost/api/info}, {@code .../tenant/{tenant}/info}, health,
 *       metrics and the page stay open.
 * </ul>
 *
 * <p>The token is the request's {@code Authorization: Bearer}. Refused: 401 with Zuul's {@code
 * WWW-Authenticate: Bearer realm="..." error="..." error_description="..."} and {@code {"message":
 * description}} (Zuul's {@code JWKSException}: 400); valid but not allowed: 403 with an empty body;
 * rules unknown: 503. Runs on the request thread, which may block on the check. Thread-safe.
 */
public final class RestAccessFilter implements ContainerRequestFilter {
  /** Fingerpost's own API is {@code /fingerpost/api/...}: the same rules as under {@code /api/}. */
  static final String OWN_PREFIX = "fingerpost";

  private final AccessControl access;

  public RestAccessFilter(AccessControl access) {
    this.access = access;
  }

  /** The tenant a path is about, "" for the API root, null for open paths. */
  static String subject(List<String> segments) {
    if (!segments.isEmpty() && segments.get(0).equals(OWN_PREFIX)) {
      return subject(segments.subList(1, segments.size()));
    }
    if (segments.size() >= 2 && segments.get(0).equals("api") && segments.get(1).equals("components")) {
      return "";
    }
    if (segments.size() >= 4 && segments.get(0).equals("api") && segments.get(1).equals("tenant")) {
      if (segments.size() == 4 && segments.get(3).equals("info")) {
        return null;
      }
      return segments.get(2);
    }
    return null;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    List<String> segments = request.getUriInfo().getPathSegments().stream().map(PathSegment::getPath)
        .filter(s -> !s.isEmpty()).toList();
    String subject = subject(segments);
    if (subject == null) {
      return;
    }
    String tenant = subject.isEmpty() ? null : subject;
    if (!access.needsCheck(tenant)) {
      return;
    }
    AccessDecision d;
    try {
      d = access.authorize(tenant, bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION)), AuthError.BEARER_REQUIRED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      request.abortWith(Response.status(503).build());
      return;
    }
    switch (d.outcome()) {
      case GRANTED -> { }
      case REFUSED -> {
        Response.ResponseBuilder b = Response.status(d.error().status()).type(MediaType.APPLICATION_JSON_TYPE)
            .entity(Map.of("message", d.error().description()));
        if (d.error().status() == 401) {
          b.header(HttpHeaders.WWW_AUTHENTICATE, d.error().wwwAuthenticate());
        }
        request.abortWith(b.build());
      }
      // An empty entity, not none: without one the servlet container would write its HTML error page.
      case DENIED -> request.abortWith(Response.status(Response.Status.FORBIDDEN).entity(new byte[0])
          .type(MediaType.TEXT_PLAIN_TYPE).build());
      case UNAVAILABLE -> request.abortWith(Response.status(Response.Status.SERVICE_UNAVAILABLE)
          .type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("message", AccessDecision.RULES_UNAVAILABLE)).build());
    }
  }

  static String bearer(String header) {
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && !header.substring(7).isBlank()) {
      return header.substring(7).trim();
    }
    return null;
  }
}
