package org.fingerpost.webapp.webhooks.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.io.Content;
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
  /** The path's end after the connection name. */
  static final String PAYLOAD = "/payload";

  private final transient Webhooks webhooks;

  public WebhookServlet(Webhooks webhooks) {
    this.webhooks = webhooks;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String path = request.getPathInfo() == null ? "" : request.getPathInfo();
    String name = connectionOf(path);
    if (name == null) {
      write(response, WebhookAnswer.message(404, "Not found"));
      return;
    }
    if (!"POST".equals(request.getMethod())) {
      response.setHeader("Allow", "POST");
      write(response, WebhookAnswer.message(405, "Webhooks are POSTed"));
      return;
    }
    AsyncContext async = request.startAsync();
    async.setTimeout(0); // the queue writer's persist_timeout bounds the wait
    webhooks.receiver().receive(name, headers(request), request.getRemoteAddr(), request.getContentLengthLong(),
        Content.Source.from(lazyBody(request))).whenComplete((node, error) -> {
          try {
            write(response, WebhookAnswer.of(name, error));
          } catch (IOException | RuntimeException e) {
            LOG.debug("Webhook answer to {} not delivered: {}", request.getRemoteAddr(), e.toString());
          } finally {
            async.complete();
          }
        });
  }

  /** The connection name of {@code /<name>/payload} (the path after {@code /api/connection}), else null. */
  static String connectionOf(String path) {
    if (!path.startsWith("/") || !path.endsWith(PAYLOAD) || path.length() <= PAYLOAD.length() + 1
        || path.indexOf('/', 1) != path.length() - PAYLOAD.length()) {
      return null;
    }
    return path.substring(1, path.length() - PAYLOAD.length());
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

  private static void write(HttpServletResponse response, WebhookAnswer answer) throws IOException {
    response.setStatus(answer.status());
    response.setContentType("application/json");
    response.setContentLength(answer.json().length);
    response.getOutputStream().write(answer.json());
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
