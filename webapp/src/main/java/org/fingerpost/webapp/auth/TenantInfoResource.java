package org.fingerpost.webapp.auth;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/tenant/{tenant}/info}, open to everyone as in Zuul: {@code {"info": {"tenant": ...,
 * "capabilities": {"auth": {"realms", "default_realm", "read_protected"}}}}}, so that a client learns
 * whether (and where) to log in before asking for a build.
 */
@Path("api/tenant/{tenant}/info")
@Produces(MediaType.APPLICATION_JSON)
public final class TenantInfoResource {
  private final AccessControl access;

  public TenantInfoResource(AccessControl access) {
    this.access = access;
  }

  @GET
  public Map<String, Object> info(@PathParam("tenant") String tenant) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("tenant", tenant);
    info.put("capabilities", Map.of("auth", access.capabilities(tenant)));
    return Map.of("info", info);
  }
}
