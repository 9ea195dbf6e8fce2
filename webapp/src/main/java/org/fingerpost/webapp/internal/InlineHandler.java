package org.fingerpost.webapp.internal;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;

/**
 * A front handler of the embedded server that takes its requests on the thread that read them (a
 * selector thread, when every front handler is one of these), as nginx's event loop does, and hands
 * the others to the next handler: at once when that one does not block either, or when the server
 * already runs handlers on pool threads; otherwise on a pool thread, as Jetty's {@code DelayedHandler}
 * hands a request on. A subclass must never block in {@code handle} while {@link #inline()}.
 * Thread-safe.
 */
public abstract class InlineHandler extends Handler.Wrapper {
  protected InlineHandler(Handler next) {
    super(next);
  }

  /** Whether this handler never blocks; false makes the server hand every request to the pool. */
  protected boolean inline() {
    return true;
  }

  @Override
  public InvocationType getInvocationType() {
    return inline() ? InvocationType.NON_BLOCKING : InvocationType.BLOCKING;
  }

  /** Hands the request to the next handler, on a pool thread when it blocks and this thread must not. */
  protected final boolean handleNext(Request request, Response response, Callback callback) throws Exception {
    Handler next = getHandler();
    if (getServer().getInvocationType() != InvocationType.NON_BLOCKING
        || next.getInvocationType() == InvocationType.NON_BLOCKING) {
      return super.handle(request, response, callback);
    }
    request.getContext().execute(() -> {
      try {
        if (!next.handle(request, response, callback)) {
          Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
        }
      } catch (Throwable x) {
        Response.writeError(request, response, callback, x);
      }
    });
    return true;
  }
}
