package org.fingerpost.webapp.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The live-log page at paths that belong to Zuul's web once a default route fronts it, so registered
 * only for a standalone web tier (docs/web-tier.md "Paths"): Zuul's live-log path {@code
 * /t/{tenant}/stream/{uuid}} (its {@code ?logfile=console.log} is the only log Fingerpost streams), so
 * that the links of Zuul's status page land on it, and the old paths {@code /}, {@code
 * /t/{tenant}/build/{uuid}} and {@code /static/*}, served as they were (the page then loads its files
 * from {@code /static/}). Stateless; thread-safe.
 */
@Path("")
public final class StandalonePageResource {
  @GET
  public Response index(@Context UriInfo uri) {
    return PageResource.page(uri, "");
  }

  @GET
  @Path("t/{tenant}/build/{uuid}")
  public Response build(@PathParam("tenant") String tenant, @PathParam("uuid") String uuid, @Context UriInfo uri) {
    return PageResource.page(uri, "");
  }

  @GET
  @Path("t/{tenant}/stream/{uuid}")
  public Response zuulStream(@PathParam("tenant") String tenant, @PathParam("uuid") String uuid,
      @Context UriInfo uri) {
    return PageResource.page(uri, Paths.OWN + "/");
  }

  @GET
  @Path("static/{name}")
  public Response asset(@PathParam("name") String name) {
    return PageResource.file(name);
  }
}
