package org.fingerpost.webapp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.websocket.CloseReason;
import org.fingerpost.transport.StreamException;
import org.junit.jupiter.api.Test;

/** The console-stream websocket's close codes and reasons are a wire contract (docs/design.md 3.2). */
class ConsoleClosesTest {
  @Test
  void theEndOfTheLogIs1000NoMoreDataAsZuulSays() {
    assertClose(1000, "No more data", ConsoleCloses.endOfLog());
  }

  @Test
  void aFailedUpstreamIs4011WithItsTextBeforeDataAnd1011RemoteErrorAfter() {
    StreamException notFound = new StreamException(StreamException.Kind.BUILD_NOT_FOUND, "no node");
    assertClose(4011, "Build not found", ConsoleCloses.streamFailed(notFound, false));
    assertClose(1011, "Remote error", ConsoleCloses.streamFailed(notFound, true));
    assertClose(4011, "Internal streaming error", ConsoleCloses.internalError());
    assertClose(4011, "Access rules unavailable", ConsoleCloses.notStreamed("Access rules unavailable"));
  }

  @Test
  void refusalsBeforeAStreamHaveTheirCodes() {
    assertClose(4000, "'uuid' missing from request payload",
        ConsoleCloses.badRequest("'uuid' missing from request payload"));
    assertClose(1009, "First message larger than 16384 bytes", ConsoleCloses.tooBig(16384));
    assertClose(1013, "Too many requests", ConsoleCloses.tryAgainLater("Too many requests"));
  }

  @Test
  void aSlowClientIsClosed1008() {
    assertClose(1008, ConsoleCloses.OVER_BUDGET, ConsoleCloses.tooSlow(ConsoleCloses.OVER_BUDGET));
    assertEquals(1008, ConsoleCloses.TOO_SLOW);
    assertEquals(1011, ConsoleCloses.UPSTREAM_LOST);
  }

  private static void assertClose(int code, String reason, CloseReason close) {
    assertEquals(code, close.getCloseCode().getCode());
    assertEquals(reason, close.getReasonPhrase());
  }
}
