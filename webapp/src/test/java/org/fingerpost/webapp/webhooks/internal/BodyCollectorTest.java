package org.fingerpost.webapp.webhooks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.content.AsyncContent;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** {@link BodyCollector} on Jetty's in-memory content source: chunks as they arrive, the limit, failures. */
class BodyCollectorTest {
  private record Result(byte[] bytes, int length, Refusal refusal) {
    String text() {
      return new String(bytes, 0, length, StandardCharsets.US_ASCII);
    }
  }

  private final AsyncContent content = new AsyncContent();
  private final CompletableFuture<Result> result = new CompletableFuture<>();

  private BodyCollector collector(long declared, long max) {
    return new BodyCollector(content, declared, max, (bytes, length, refusal) -> {
      if (!result.complete(new Result(bytes, length, refusal))) {
        throw new AssertionError("called twice");
      }
    });
  }

  private void write(String text, boolean last) {
    content.write(last, ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), Callback.NOOP);
  }

  private Result result() throws Exception {
    return result.get(10, TimeUnit.SECONDS);
  }

  @Test
  void chunksArrivingLaterMakeOneBodySizedByItsDeclaredLength() throws Exception {
    collector(6, 100).run();
    assertFalse(result.isDone(), "waits for the body");
    write("abc", false);
    assertFalse(result.isDone(), "waits for the rest");
    write("def", true);
    Result r = result();
    assertNull(r.refusal());
    assertEquals("abcdef", r.text());
    assertEquals(6, r.bytes().length, "one array of the declared size");
  }

  @Test
  void anUndeclaredBodyGrowsUpToTheLimit() throws Exception {
    collector(-1, 10).run();
    write("0123456", false);
    write("789", true);
    Result r = result();
    assertNull(r.refusal());
    assertEquals("0123456789", r.text());
  }

  @Test
  void theBytePastTheLimitIs413() throws Exception {
    collector(-1, 10).run();
    write("0123456789", false);
    assertFalse(result.isDone(), "exactly the limit is still taken");
    write("x", true);
    Result r = result();
    assertEquals(413, r.refusal().status());
    assertEquals("body_too_large", r.refusal().reason());
    assertEquals("Request body exceeds 10 bytes.", r.refusal().getMessage());
  }

  @Test
  void aFailedReadIs400() throws Exception {
    collector(100, 1000).run();
    write("partial", false);
    content.fail(new EofException("reset by peer"));
    Result r = result();
    assertEquals(400, r.refusal().status());
    assertEquals("body_unreadable", r.refusal().reason());
  }

  @Test
  void anEmptyBodyIsTakenAsEmpty() throws Exception {
    collector(0, 10).run();
    write("", true);
    Result r = result();
    assertNull(r.refusal());
    assertEquals(0, r.length());
  }
}
