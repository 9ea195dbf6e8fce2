package org.fingerpost.webapp.internal;

import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded server's thread pool, which lets a non-blocking server go on to a connection's next
 * request on the thread that completed an asynchronous response (a proxied one, a webhook's answer),
 * instead of handing it to a pool thread.
 *
 * <p>Why: a response a route proxies completes on the proxy client's selector thread, and a webhook's
 * answer on the event queue's completion thread, not on the thread that read the request, and Jetty
 * then resumes the HTTP/1 connection (a read of its next request, or fill interest) by {@link #execute
 * executing} the connection on this pool: a thread wake-up and two context switches per request, a
 * sixth of the proxy's CPU per small request (docs/benchmarks.md). When the server is {@linkplain
 * #resumeInline non-blocking} (its front handlers are {@link InlineHandler}s), reading and dispatching a
 * request is what Jetty already runs on selector threads, so it may run on the completing thread as well.
 *
 * <p>A task runs inline only when all of these hold; otherwise it goes to the pool:
 * <ul>
 *   <li>inline resuming is on (off by default) and the pool is running;
 *   <li>the task is an HTTP connection ({@link Connection} and {@link ConnectionMetaData});
 *   <li>the thread is inside {@link #completeHere}, a core handler's completion of a response (the
 *       route proxy's, the webhook handler's), so no other thread (a servlet's, a timer's) ever reads
 *       requests;
 *   <li>the thread is not already resuming one: a resume inside a resume (a pipelined request answered
 *       at once) goes to the pool, so the stack never grows with the requests of a connection.
 * </ul>
 * A resume that throws is logged and goes no further, as on a pool thread: it never reaches the thread
 * that completed the response. Thread-safe.
 */
public final class InlineResumeThreadPool extends QueuedThreadPool {
  private static final Logger LOG = LoggerFactory.getLogger(InlineResumeThreadPool.class);
  /** Set while this thread completes a proxied response ({@link #completeHere}). */
  private static final ThreadLocal<Boolean> COMPLETING = new ThreadLocal<>();
  /** Set while this thread runs a resume inline. */
  private static final ThreadLocal<Boolean> RESUMING = new ThreadLocal<>();

  private final LongAdder inlineResumes = new LongAdder();
  private volatile boolean inline;

  /**
   * Runs {@code completion}, the completion of a core handler's asynchronous response (its callback),
   * so that the connection resume it triggers may run on this thread.
   */
  public static void completeHere(Runnable completion) {
    boolean outer = COMPLETING.get() != null;
    COMPLETING.set(Boolean.TRUE);
    try {
      completion.run();
    } finally {
      if (!outer) {
        COMPLETING.remove();
      }
    }
  }

  /**
   * @param inline {@code true} only when the server's handlers are non-blocking ({@code
   *     Server.getInvocationType()}), as without routes or with routes and no access log
   */
  public void resumeInline(boolean inline) {
    this.inline = inline;
  }

  /** Whether connections may resume on the completing thread ({@link #resumeInline}). */
  public boolean resumesInline() {
    return inline;
  }

  /** Connections resumed on the completing thread since start (a measure, not a limit). */
  public long inlineResumes() {
    return inlineResumes.sum();
  }

  @Override
  public void execute(Runnable task) {
    if (!inline || COMPLETING.get() == null || RESUMING.get() != null || !isRunning()
        || !(task instanceof Connection && task instanceof ConnectionMetaData)) {
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
