package org.fingerpost.webapp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link InlineResumeThreadPool}: an HTTP connection's resume runs on the thread that completes a
 * proxied response when inline resuming is on, one level deep; everything else runs on the pool.
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
  void aConnectionResumesOnTheThreadThatCompletesAProxiedResponse() {
    pool.resumeInline(true);
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    InlineResumeThreadPool.completeHere(() -> pool.execute(connection(() -> ranOn.complete(Thread.currentThread()))));
    assertSame(Thread.currentThread(), ranOn.getNow(null), "ran before execute returned, on this thread");
    assertEquals(1, pool.inlineResumes());
  }

  @Test
  void outsideACompletionAConnectionGoesToThePool() throws Exception {
    pool.resumeInline(true);
    assertOnPool(true);
    assertEquals(0, pool.inlineResumes());
  }

  @Test
  void aResumeInsideAResumeGoesToThePool() throws Exception {
    pool.resumeInline(true);
    CompletableFuture<Thread> inner = new CompletableFuture<>();
    InlineResumeThreadPool.completeHere(() -> pool.execute(connection(
        () -> pool.execute(connection(() -> inner.complete(Thread.currentThread()))))));
    Thread ranOn = inner.get(10, TimeUnit.SECONDS);
    assertNotEquals(Thread.currentThread(), ranOn);
    assertTrue(ranOn.getName().startsWith("resume-test"), ranOn.getName());
    assertEquals(1, pool.inlineResumes());
  }

  @Test
  void otherTasksAndEveryTaskWhileOffGoToThePool() throws Exception {
    pool.resumeInline(true);
    InlineResumeThreadPool.completeHere(() -> assertOnPool(false));
    pool.resumeInline(false);
    InlineResumeThreadPool.completeHere(() -> assertOnPool(true));
    assertEquals(0, pool.inlineResumes());
  }

  @Test
  void aResumeThatThrowsStopsThereAndNotInTheCompletingThread() {
    pool.resumeInline(true);
    InlineResumeThreadPool.completeHere(() -> {
      pool.execute(connection(() -> {
        throw new IllegalStateException("resume failed");
      }));
      CompletableFuture<Thread> next = new CompletableFuture<>();
      pool.execute(connection(() -> next.complete(Thread.currentThread())));
      assertSame(Thread.currentThread(), next.getNow(null), "the next resume runs inline again");
    });
    assertEquals(2, pool.inlineResumes());
  }

  @Test
  void aStoppedPoolRefusesAResumeAsJettyExpects() throws Exception {
    pool.resumeInline(true);
    pool.stop();
    InlineResumeThreadPool.completeHere(() ->
        assertThrows(RejectedExecutionException.class, () -> pool.execute(connection(() -> { }))));
    assertEquals(0, pool.inlineResumes());
  }

  /** Executes a task (a connection, or a plain one) and checks that a pool thread ran it. */
  private void assertOnPool(boolean asConnection) {
    CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    Runnable record = () -> ranOn.complete(Thread.currentThread());
    pool.execute(asConnection ? connection(record) : record);
    Thread thread = ranOn.orTimeout(10, TimeUnit.SECONDS).join();
    assertNotEquals(Thread.currentThread(), thread);
    assertTrue(thread.getName().startsWith("resume-test"), thread.getName());
  }

  /** A task that is a connection as Jetty's HTTP/1 connection is: {@code run} does {@code body}. */
  private static Runnable connection(Runnable body) {
    return (Runnable) Proxy.newProxyInstance(InlineResumeThreadPoolTest.class.getClassLoader(),
        new Class<?>[] {Runnable.class, Connection.class, ConnectionMetaData.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "run":
              body.run();
              return null;
            case "toString":
              return "test connection";
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            default:
              return null;
          }
        });
  }
}
