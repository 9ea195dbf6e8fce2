package org.fingerpost.webapp.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The live-log page under {@value Paths#OWN}: {@code /fingerpost/} (open a tenant or a build), {@code
 * /fingerpost/t/{tenant}/} (the tenant's running builds) and {@code /fingerpost/t/{tenant}/build/{uuid}}
 * (the build's log) serve the same HTML, whose script reads what to show from the address; {@code
 * /fingerpost/static/*} serves the page's files from this jar. {@link StandalonePageResource} serves the
 * same page at Zuul's and the old paths. Stateless; thread-safe.
 */
@Path(Paths.OWN)
public final class PageResource {
  private static final String ROOT = "/org/fingerpost/webapp/static/";
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml");

  @GET
  public Response index(@Context UriInfo uri) {
    return page(uri, Paths.OWN + "/");
  }

  @GET
  @Path("t/{tenant}")
  public Response tenant(@PathParam("tenant") String tenant, @Context UriInfo uri) {
    return page(uri, Paths.OWN + "/");
  }

  @GET
  @Path("t/{tenant}/build/{uuid}")
  public Response build(@PathParam("tenant") String tenant, @PathParam("uuid") String uuid, @Context UriInfo uri) {
    return page(uri, Paths.OWN + "/");
  }

  @GET
  @Path("static/{name}")
  public Response asset(@PathParam("name") String name) {
    return file(name);
  }

  /**
   * The HTML with its paths filled in, so the page works under any context path (WAR): {@code root} is
   * the context's ({@code /} embedded), where the websocket and the API are; {@code base} is {@code
   * root + mount}, where the page's own files are ({@code static/}).
   *
   * @param mount where the answering resource serves {@code static/}, relative to the context
   */
  static Response page(UriInfo uri, String mount) {
    String root = uri.getBaseUri().getRawPath();
    if (!root.endsWith("/")) {
      root = root + "/";
    }
    String html = new String(read("index.html"), StandardCharsets.UTF_8)
        .replace("{{root}}", attribute(root))
        .replace("{{base}}", attribute(root + mount));
    return Response.ok(html, TYPES.get("html")).cacheControl(noCache()).build();
  }

  private static String attribute(String path) {
    return path.replace("\"", "%22").replace("<", "%3C");
  }

  static Response file(String name) {
    int dot = name.lastIndexOf('.');
    String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
    if (type == null || !name.matches("[a-z0-9-]+\\.[a-z]+")) {
      throw new ApiError(Response.Status.NOT_FOUND, "Not found");
    }
    return Response.ok(read(name), type).cacheControl(noCache()).build();
  }

  private static CacheControl noCache() {
    CacheControl cache = new CacheControl();
    cache.setNoCache(true);
    return cache;
  }

  private static byte[] read(String name) {
    try (InputStream in = PageResource.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new ApiError(Response.Status.NOT_FOUND, "Not found");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ApiError(Response.Status.INTERNAL_SERVER_ERROR, "Cannot read " + name);
    }
  }
}
