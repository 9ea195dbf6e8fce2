package org.fingerpost.webapp.internal;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every REST error as JSON {@code {"message": ...}} with its status; never a stack trace. */
@Provider
public final class JsonErrorMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = LoggerFactory.getLogger(JsonErrorMapper.class);

  @Override
  public Response toResponse(Throwable error) {
    int status;
    String message;
    if (error instanceof ApiError api) {
      status = api.status().getStatusCode();
      message = api.getMessage();
    } else if (error instanceof WebApplicationException web) {
      status = web.getResponse().getStatus();
      Response.StatusType type = web.getResponse().getStatusInfo();
      message = type.getReasonPhrase() == null || type.getReasonPhrase().isEmpty()
          ? "HTTP " + status : type.getReasonPhrase();
    } else {
      LOG.error("REST request failed", error);
      status = 500;
      message = "Internal server error";
    }
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
        .entity(Map.of("message", message)).build();
  }
}
