package org.fingerpost.webapp.internal;

import jakarta.ws.rs.core.Response;

/** A REST error with the status and the message the client sees as {@code {"message": ...}}. */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Response.Status status;

  public ApiError(Response.Status status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public Response.Status status() {
    return status;
  }
}
