package org.fingerpost.webapp.internal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.fingerpost.webapp.MonitoringAnswers;
import org.fingerpost.webapp.WebServices;

/**
 * {@code /health/live}, {@code /health/ready}, {@code /health/status} and {@code /metrics} on the web
 * port, answered exactly as on a monitoring listener ({@link MonitoringAnswers}, Zuul's answers), so
 * that probes and scrapers see the same on either port.
 */
@Path("")
public final class OpsResource {
  private final WebServices services;

  public OpsResource(WebServices services) {
    this.services = services;
  }

  @GET
  @Path(MonitoringAnswers.LIVE)
  public Response live() {
    return reply(MonitoringAnswers.LIVE);
  }

  @GET
  @Path(MonitoringAnswers.READY)
  public Response ready() {
    return reply(MonitoringAnswers.READY);
  }

  @GET
  @Path(MonitoringAnswers.STATUS)
  public Response status() {
    return reply(MonitoringAnswers.STATUS);
  }

  @GET
  @Path(MonitoringAnswers.METRICS)
  public Response metrics() {
    return reply(MonitoringAnswers.METRICS);
  }

  private Response reply(String path) {
    MonitoringAnswers.Answer a = MonitoringAnswers.answer(path, services::state, services.prometheus()::scrape);
    Response.ResponseBuilder b = Response.status(a.status());
    if (!a.body().isEmpty()) {
      b.entity(a.body()).type(a.contentType());
    }
    return b.build();
  }
}
