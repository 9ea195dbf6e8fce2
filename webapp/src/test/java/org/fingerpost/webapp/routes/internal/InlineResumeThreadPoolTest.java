package org.fingerpost.webapp.routes.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link InlineResumeThreadPool}: an HTTP connection's resume runs on the executing thread when
 * inline resuming is on, one level deep; everything else runs on the pool's threads.
 */
class InlineResumeThreadPoolTest {
  private final InlineResumeThreadPool pool = new InlineResumeThreadPool();

  @BeforeEach
  void start() throws Exception {
    pool.setName("resume-test");
    pool.start();
  }

  @AfterEach
  void stop() throws Exception {
    pool.stop();
  }

  @Test
  void aConnectionResumesOnTheExecutingThreadWhenInline() throws Exception {
    pool.resumeInline(true);
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    pool.execute(connection(() -> ranOn.complete(Thread.currentThread())));
    assertSame(Thread.currentThread(), ranOn.getNow(null), "ran before execute returned, on this thread");
    assertEquals(1, pool.inlineResumes());
  }

  @Test
  void aResumeThatThrowsStopsThereAndNotInTheCompletingThread() {
    pool.resumeInline(true);
    pool.execute(connection(() -> {
      throw new IllegalStateException("resume failed");
    }));
    assertEquals(1, pool.inlineResumes());
    CompletableFuture<Thread> next = new CompletableFuture<>();
    pool.execute(connection(() -> next.complete(Thread.currentThread())));
    assertSame(Thread.currentThread(), next.getNow(null), "the next resume runs inline again");
  }

  @Test
  void aResumeInsideAResumeGoesToThePool() throws Exception {
    pool.resumeInline(true);
    CompletableFuture<Thread> inner = new CompletableFuture<>();
    pool.execute(connection(() -> pool.execute(connection(() -> inner.complete(Thread.currentThread())))));
    Thread ranOn = inner.get(10, TimeUnit.SECONDS);
    assertNotEquals(Thread.currentThread(), ranOn);
    assertTrue(ranOn.getName().startsWith("resume-test"), ranOn.getName());
    assertEquals(1, pool.inlineResumes());
  }

  @Test
  void otherTasksAndEveryTaskWhileOffGoToThePool() throws Exception {
    pool.resumeInline(true);
    CompletableFuture<Thread> plain = new CompletableFuture<>();
    pool.execute(() -> plain.complete(Thread.currentThread()));
    assertTrue(plain.get(10, TimeUnit.SECONDS).getName().startsWith("resume-test"));

    pool.resumeInline(false);
    CompletableFuture<Thread> off = new CompletableFuture<>();
    pool.execute(connection(() -> off.complete(Thread.currentThread())));
    Thread ranOn = off.get(10, TimeUnit.SECONDS);
    assertNotNull(ranOn);
    assertTrue(ranOn.getName().startsWith("resume-test"), ranOn.getName());
    assertEquals(0, pool.inlineResumes());
  }

  /** A task that is a connection as Jetty's HTTP/1 connection is: {@code run} does {@code body}. */
  private static Runnable connection(Runnable body) {
    return (Runnable) Proxy.newProxyInstance(InlineResumeThreadPoolTest.class.getClassLoader(),
        new Class<?>[] {Runnable.class, Connection.class, ConnectionMetaData.class}, (proxy, method, args) -> {
          if (method.getName().equals("run")) {
            body.run();
          }
          return method.getName().equals("toString") ? "test connection" : null;
        });
  }
}
