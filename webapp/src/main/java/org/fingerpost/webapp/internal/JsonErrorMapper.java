package org.fingerpost.webapp.internal;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import org.fingerpost.registry.RegistryUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every REST error as JSON {@code {"message": ...}} with its status; never a stack trace. Resources
 * throw {@link ApiError} for their own answers and let a {@link RegistryUnavailableException} through
 * (503 {@value #REGISTRY_UNAVAILABLE}).
 */
@Provider
public final class JsonErrorMapper implements ExceptionMapper<Throwable> {
  private static final Logger LOG = LoggerFactory.getLogger(JsonErrorMapper.class);
  /** The message of a 503 answered while ZooKeeper cannot answer. */
  static final String REGISTRY_UNAVAILABLE = "Registry unavailable";

  @Override
  public Response toResponse(Throwable error) {
    int status;
    String message;
    if (error instanceof ApiError api) {
      status = api.status().getStatusCode();
      message = api.getMessage();
    } else if (error instanceof RegistryUnavailableException) {
      // Any resource that reads the registry: ZooKeeper cannot answer now, the client may retry.
      status = Response.Status.SERVICE_UNAVAILABLE.getStatusCode();
      message = REGISTRY_UNAVAILABLE;
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
