package org.fingerpost.webapp.webhooks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.curator.test.TestingServer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.testing.RawHttp;
import org.fingerpost.webapp.internal.InlineResumeThreadPool;
import org.fingerpost.webapp.internal.TeapotHandler;
import org.fingerpost.webapp.webhooks.WebhookConnections;
import org.fingerpost.webapp.webhooks.Webhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WebhookHandler} on a bare Jetty server in front of a blocking handler, into a real
 * ZooKeeper: it takes its paths on the thread that read them, hands every other path on, and a
 * keep-alive connection's next delivery is read on the thread that wrote the last answer. The answers
 * and refusals themselves are {@code WebhookReceiverTest}'s.
 */
class WebhookHandlerTest {
  private static final String TOKEN = "gl-token";

  private final TeapotHandler next = new TeapotHandler();
  private final InlineResumeThreadPool threads = new InlineResumeThreadPool();
  private TestingServer zk;
  private Registry registry;
  private Webhooks webhooks;
  private Server server;

  @BeforeEach
  void start() throws Exception {
    zk = new TestingServer(true);
    registry = Registry.connect(RegistrySettings.builder(zk.getConnectString())
        .sessionTimeout(Duration.ofSeconds(10)).connectionTimeout(Duration.ofSeconds(5)).build());
    webhooks = new Webhooks(WebhookConnections.fromSections(Map.of("connection gitlab",
        Map.of("driver", "gitlab", "webhook_token", TOKEN))), registry, new SimpleMeterRegistry());
    server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(new WebhookHandler(webhooks, next));
    threads.resumeInline(server.getInvocationType() == InvocationType.NON_BLOCKING);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
    webhooks.close();
    registry.close();
    zk.close();
  }

  @Test
  void takesItsPathsOnTheReadingThreadAndHandsTheRestOn() throws Exception {
    assertEquals(InvocationType.NON_BLOCKING, server.getInvocationType(), "the server hands no request to a thread");
    for (String path : new String[] {"/api/info", "/api/connectionx/gitlab/payload", "/"}) {
      String answer = exchange("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}");
      assertTrue(answer.startsWith("HTTP/1.1 418"), path + ": " + answer);
    }
    assertEquals(3, next.calls());
    String refused = exchange("GET /api/connection/gitlab/payload HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(refused.startsWith("HTTP/1.1 405"), refused);
    assertTrue(refused.endsWith("{\"message\": \"Webhooks are POSTed\"}"), refused);
    assertEquals(3, next.calls(), "the webhook path never reaches the next handler");
  }

  @Test
  void keepAliveDeliveriesGoOnOnTheThreadThatWroteTheAnswer() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (int i = 1; i <= 3; i++) {
        String body = "{\"n\": " + i + "}";
        out.write(("POST /api/connection/gitlab/payload HTTP/1.1\r\nHost: x\r\nX-Gitlab-Token: " + TOKEN
            + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String answer = RawHttp.readResponse(in);
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        assertTrue(answer.endsWith("{\"message\": \"Event stored\"}"), answer);
      }
    }
    assertEquals(3, registry.curator().getChildren().forPath("/zuul/events/connection/gitlab/events/queue").size());
    // An answer written on the event queue's completion thread read on for the next delivery there.
    assertTrue(threads.inlineResumes() >= 1, "inline resumes: " + threads.inlineResumes());
    assertEquals(0, next.calls());
  }

  private int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** One request and its whole answer on a connection of its own. */
  private String exchange(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      return RawHttp.readResponse(s.getInputStream());
    }
  }
}
