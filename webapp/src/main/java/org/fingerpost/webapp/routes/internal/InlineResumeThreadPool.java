package org.fingerpost.webapp.routes.internal;

import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded server's thread pool, which lets a non-blocking server go on to a connection's next
 * request on the thread that completed the previous response, instead of handing it to a pool thread.
 *
 * <p>Why: a response a route proxies completes on the proxy client's selector thread, not on the thread
 * that read the request, and Jetty then resumes the HTTP/1 connection (a read of its next request, or
 * fill interest) by {@link #execute executing} the connection on this pool: a thread wake-up and two
 * context switches per request, a sixth of the proxy's CPU per small request (docs/benchmarks.md).
 * When the server is {@linkplain #resumeInline non-blocking} (routes without the access log), reading
 * and dispatching a request is what Jetty already runs on selector threads, so it may run on the
 * completing thread as well.
 *
 * <p>Only a task that is an HTTP connection ({@link Connection} and {@link ConnectionMetaData}) runs
 * inline, and only one level deep per thread: a resume inside an inline resume (a pipelined request
 * answered at once) is handed to the pool, so the stack never grows with the requests of a connection.
 * Every other task, and every task while inline resuming is off (the default), goes to the pool. A
 * resume that throws is logged and goes no further, as on a pool thread: it never reaches the thread
 * that completed the response. Thread-safe.
 */
public final class InlineResumeThreadPool extends QueuedThreadPool {
  private static final Logger LOG = LoggerFactory.getLogger(InlineResumeThreadPool.class);
  private static final ThreadLocal<Boolean> RESUMING = new ThreadLocal<>();

  private final LongAdder inlineResumes = new LongAdder();
  private volatile boolean inline;

  /**
   * @param inline {@code true} only when the server's handlers are non-blocking ({@code
   *     Server.getInvocationType()}), as with routes and no access log
   */
  public void resumeInline(boolean inline) {
    this.inline = inline;
  }

  /** Connections resumed on the completing thread since start (a measure, not a limit). */
  public long inlineResumes() {
    return inlineResumes.sum();
  }

  @Override
  public void execute(Runnable task) {
    if (!inline || !(task instanceof Connection && task instanceof ConnectionMetaData) || RESUMING.get() != null) {
      super.execute(task);
      return;
    }
    RESUMING.set(Boolean.TRUE);
    try {
      inlineResumes.increment();
      task.run();
    } catch (Throwable x) {
      LOG.warn("Resuming {} failed", task, x);
    } finally {
      RESUMING.remove();
    }
  }
}
