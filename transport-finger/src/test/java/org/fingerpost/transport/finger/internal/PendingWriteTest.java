package org.fingerpost.transport.finger.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PendingWriteTest {
  private final Runnable next = () -> {};

  @Test
  void writeCompletingAfterReturningFinishesOnTheCallback() {
    PendingWrite write = new PendingWrite();
    write.start(next);
    assertFalse(write.finish(false), "returned first: the callback continues");
    assertTrue(write.writing());
    assertTrue(write.finish(true));
    assertFalse(write.writing());
    assertSame(next, write.takeNext());
    assertNull(write.takeNext(), "once");
  }

  @Test
  void writeCompletingInlineFinishesWhenWriteReturns() {
    PendingWrite write = new PendingWrite();
    write.start(next);
    assertFalse(write.finish(true), "completed inside EndPoint.write: not yet");
    assertTrue(write.finish(false));
    assertSame(next, write.takeNext());
  }

  @Test
  void secondChunkBeforeNextRanIsRefusedAndDropForgetsNext() {
    PendingWrite write = new PendingWrite();
    write.start(next);
    assertThrows(IllegalStateException.class, () -> write.start(next));
    write.drop();
    write.finish(false);
    write.finish(true);
    assertNull(write.takeNext());
  }
}
