package org.fingerpost.webapp.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The next handler behind a front handler under test: answers 418 {@code next} and counts its calls,
 * so that a test tells what the front handler passed on. Blocking, as the servlet context is.
 */
public final class TeapotHandler extends Handler.Abstract {
  private final AtomicInteger calls = new AtomicInteger();

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    calls.incrementAndGet();
    response.setStatus(418);
    response.write(true, ByteBuffer.wrap("next".getBytes(StandardCharsets.UTF_8)), callback);
    return true;
  }

  /** Requests handled so far. */
  public int calls() {
    return calls.get();
  }
}
