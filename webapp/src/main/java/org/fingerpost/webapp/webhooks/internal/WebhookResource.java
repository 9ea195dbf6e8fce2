package org.fingerpost.webapp.webhooks.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.fingerpost.webapp.webhooks.Webhooks;

/**
 * {@code POST /api/connection/{name}/payload}: Zuul's webhook URL. The request thread reads and
 * checks the body; the response is resumed when ZooKeeper confirmed the event (200) or it was
 * refused (JSON {@code {"message": ...}} with 401, 404, 400, 413, 503). Singleton; thread-safe.
 */
@Path("api/connection/{name}/payload")
public final class WebhookResource {
  private final Webhooks webhooks;

  public WebhookResource(Webhooks webhooks) {
    this.webhooks = webhooks;
  }

  @POST
  public void payload(@PathParam("name") String name, @Context HttpServletRequest request,
      @Suspended AsyncResponse response) throws IOException {
    Map<String, String> headers = headers(request);
    InputStream body = request.getInputStream();
    webhooks.receiver().receive(name, headers, request.getRemoteAddr(), request.getContentLengthLong(), body)
        .whenComplete((path, error) -> {
          if (error == null) {
            response.resume(Response.ok(Map.of("message", "Event stored"), MediaType.APPLICATION_JSON_TYPE).build());
            return;
          }
          Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
          int status = cause instanceof Refusal r ? r.status() : 500;
          String message = cause instanceof Refusal ? cause.getMessage() : "Internal server error";
          response.resume(Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
              .entity(Map.of("message", message)).build());
        });
  }

  /**
   * The request headers as CherryPy gives them to Zuul's handler, lower-cased: repeated headers
   * joined with {@code ", "}, plus {@code remote-addr} (CherryPy adds the peer address as a header).
   */
  static Map<String, String> headers(HttpServletRequest request) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      String key = name.toLowerCase(Locale.ROOT);
      String value = String.join(", ", Collections.list(request.getHeaders(name)));
      headers.merge(key, value, (a, b) -> a + ", " + b);
    }
    headers.putIfAbsent("remote-addr", request.getRemoteAddr());
    return headers;
  }
}
