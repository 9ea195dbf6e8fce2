package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RouteProxyTest}'s tests on the servlet proxy ({@code RouteProxyServlet}) that a WAR uses,
 * on the same Jetty; and the two proxies side by side: a backend sees the same request from both.
 */
class ServletRouteProxyTest extends RouteProxyTest {
  @Override
  boolean coreRoutes() {
    return false;
  }

  @Test
  void theBackendSeesTheSameRequestFromEitherProxy() throws Exception {
    String request = "POST /b/echo/p%20q?x=%2F HTTP/1.1\r\nHost: front.example\r\nX-Forwarded-For: 10.0.0.1\r\n"
        + "Connection: X-Custom\r\nX-Custom: hop\r\nTE: trailers\r\nAuthorization: Bearer secret\r\n"
        + "Cookie: a=b\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";
    List<String> core;
    List<String> servlet;
    try (WebCluster web = web(null, true)) {
      core = seenByBackend(raw(web, request, null));
      assertTrue(web.web.resumesInline(), "core routes, no access log: a non-blocking server");
    }
    try (WebCluster web = web(null, false)) {
      servlet = seenByBackend(raw(web, request, null));
      assertTrue(web.web.resumesInline(), "the servlet proxy never resumes inline, the webhooks' front handler may");
    }
    assertTrue(core.contains("POST /echo/p%20q?x=%2F"), core.toString());
    assertTrue(core.contains("body=hello"), core.toString());
    assertEquals(servlet, core);
  }

  /** The echoed request line, headers and body, sorted (the order of headers may differ). */
  private static List<String> seenByBackend(String answer) {
    assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
    String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
    return Arrays.stream(body.split("\n")).sorted().toList();
  }
}
