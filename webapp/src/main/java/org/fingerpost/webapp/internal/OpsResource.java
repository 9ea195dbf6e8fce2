package org.fingerpost.webapp.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.fingerpost.webapp.WebServices;

/** {@code /health/live}, {@code /health/ready} and {@code /metrics} (Prometheus text format). */
@Path("")
public final class OpsResource {
  /** The Prometheus text exposition format. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final WebServices services;

  public OpsResource(WebServices services) {
    this.services = services;
  }

  @GET
  @Path("health/live")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, String> live() {
    return Map.of("status", "live");
  }

  /** Ready only while the registry is connected: without it no build can be resolved. */
  @GET
  @Path("health/ready")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, String> ready() {
    if (!services.registry().isConnected()) {
      throw new ApiError(Response.Status.SERVICE_UNAVAILABLE, "Registry not connected");
    }
    return Map.of("status", "ready");
  }

  @GET
  @Path("metrics")
  @Produces(PROMETHEUS_TEXT)
  public String metrics() {
    return services.prometheus().scrape();
  }
}
