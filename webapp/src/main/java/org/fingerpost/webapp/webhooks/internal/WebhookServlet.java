package org.fingerpost.webapp.webhooks.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.fingerpost.registry.events.PythonJson;
import org.fingerpost.webapp.webhooks.Webhooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/connection/{name}/payload}, Zuul's webhook URL, as a plain asynchronous servlet
 * (mapped at {@value #MAPPING}, ahead of the REST application: a webhook needs none of its machinery,
 * and the servlet costs less CPU per delivery). The container's thread reads and checks the body; the
 * response is written when ZooKeeper confirmed the event (200) or it was refused (JSON {@code
 * {"message": ...}} with 401, 404, 400, 413, 503; 405 for other methods). Thread-safe.
 */
public final class WebhookServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServlet.class);
  /** The servlet mapping: the connection name and {@code /payload} follow. */
  public static final String MAPPING = "/api/connection/*";
  private static final byte[] STORED = "{\"message\": \"Event stored\"}".getBytes(StandardCharsets.US_ASCII);

  private final transient Webhooks webhooks;

  public WebhookServlet(Webhooks webhooks) {
    this.webhooks = webhooks;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    if (!path.endsWith("/payload") || path.length() <= "/payload".length() + 1
        || path.indexOf('/', 1) != path.length() - "/payload".length()) {
      write(response, 404, message("Not found"));
      return;
    }
    if (!"POST".equals(request.getMethod())) {
      response.setHeader("Allow", "POST");
      write(response, 405, message("Webhooks are POSTed"));
      return;
    }
    String name = path.substring(1, path.length() - "/payload".length());
    AsyncContext async = request.startAsync();
    async.setTimeout(0); // the queue writer's persist_timeout bounds the wait
    webhooks.receiver().receive(name, headers(request), request.getRemoteAddr(), request.getContentLengthLong(),
        lazyBody(request)).whenComplete((node, error) -> {
          try {
            if (error == null) {
              write(response, 200, STORED);
            } else {
              Throwable cause = error instanceof CompletionException && error.getCause() != null
                  ? error.getCause() : error;
              if (cause instanceof Refusal r) {
                write(response, r.status(), message(r.getMessage()));
              } else {
                LOG.error("Webhook to {} failed", name, cause);
                write(response, 500, message("Internal server error"));
              }
            }
          } catch (IOException | RuntimeException e) {
            LOG.debug("Webhook answer to {} not delivered: {}", request.getRemoteAddr(), e.toString());
          } finally {
            async.complete();
          }
        });
  }

  /**
   * The request body, opened at its first read: the container answers a client's {@code Expect:
   * 100-continue} when the body is opened, and a refusal by declared length (413) must come before
   * that, so that the client never sends the body (instead of losing the answer to a reset).
   */
  private static InputStream lazyBody(HttpServletRequest request) {
    return new InputStream() {
      private InputStream body;

      private InputStream body() throws IOException {
        if (body == null) {
          body = request.getInputStream();
        }
        return body;
      }

      @Override
      public int read() throws IOException {
        return body().read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return body().read(b, off, len);
      }
    };
  }

  private static byte[] message(String text) {
    byte[] quoted = PythonJson.dumpsString(text);
    byte[] out = new byte[quoted.length + 13];
    System.arraycopy("{\"message\": ".getBytes(StandardCharsets.US_ASCII), 0, out, 0, 12);
    System.arraycopy(quoted, 0, out, 12, quoted.length);
    out[out.length - 1] = '}';
    return out;
  }

  private static void write(HttpServletResponse response, int status, byte[] json) throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.setContentLength(json.length);
    response.getOutputStream().write(json);
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
