package org.fingerpost.webapp.webhooks.internal;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.fingerpost.webapp.internal.InlineHandler;
import org.fingerpost.webapp.internal.InlineResumeThreadPool;
import org.fingerpost.webapp.webhooks.Webhooks;

/**
 * {@code POST /api/connection/{name}/payload} on the embedded server, on Jetty's core API in front of
 * the servlet context (a WAR keeps {@link WebhookServlet}; both answer alike). It runs where the request
 * was read: a body that came with the request is checked, parsed and handed to ZooKeeper on that thread;
 * a body still arriving is collected without blocking ({@link WebhookReceiver#receive}) and handled on
 * the pool thread that reads its end. The answer is written when ZooKeeper confirmed the event or it was refused,
 * and the connection goes on to its next request on the thread that wrote it ({@link
 * InlineResumeThreadPool}): no servlet layer and no hand-off per delivery (docs/benchmarks.md). Every
 * other path goes on to the next handler. Thread-safe.
 */
public final class WebhookHandler extends InlineHandler {
  /** The paths this handler takes: this one and those under it (the servlet's mapping). */
  public static final String PREFIX = "/api/connection";

  private final Webhooks webhooks;

  /** @param next what answers every other path */
  public WebhookHandler(Webhooks webhooks, Handler next) {
    super(next);
    this.webhooks = webhooks;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (!path.startsWith(PREFIX) || path.length() > PREFIX.length() && path.charAt(PREFIX.length()) != '/') {
      return handleNext(request, response, callback);
    }
    String name = WebhookServlet.connectionOf(path.substring(PREFIX.length()));
    if (name == null) {
      answer(response, callback, WebhookAnswer.message(404, "Not found"));
      return true;
    }
    if (!HttpMethod.POST.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      answer(response, callback, WebhookAnswer.message(405, "Webhooks are POSTed"));
      return true;
    }
    String remote = Request.getRemoteAddr(request);
    answerWhenDone(webhooks.receiver().receive(name, headers(request, remote), remote, request.getLength(), request),
        name, response, callback);
    return true;
  }

  private static void answerWhenDone(CompletableFuture<String> outcome, String name, Response response,
      Callback callback) {
    // The connection's next request may then be read on the thread that completed this one.
    outcome.whenComplete((node, error) -> InlineResumeThreadPool.completeHere(
        () -> answer(response, callback, WebhookAnswer.of(name, error))));
  }

  private static void answer(Response response, Callback callback, WebhookAnswer answer) {
    response.setStatus(answer.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.json().length);
    response.write(true, ByteBuffer.wrap(answer.json()), callback);
  }

  /** The request headers as {@link WebhookServlet#headers} gives them (CherryPy's form). */
  static Map<String, String> headers(Request request, String remoteAddress) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (HttpField field : request.getHeaders()) {
      headers.merge(field.getName().toLowerCase(Locale.ROOT), field.getValue(), (a, b) -> a + ", " + b);
    }
    headers.putIfAbsent("remote-addr", remoteAddress);
    return headers;
  }
}
