package org.fingerpost.webapp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class SendBudgetTest {
  private final SendBudget budget = new SendBudget(1024, Runnable::run, new SimpleMeterRegistry());

  @Test
  void textQueuedByManyWebsocketsIsHeldOnceUntilTheLastSentIt() {
    SharedText piece = new SharedText("x".repeat(100), 100);
    TextQueue a = new TextQueue(budget);
    TextQueue b = new TextQueue(budget);
    a.addShared(piece);
    b.addShared(piece);
    assertEquals(100, budget.heldBytes());
    assertEquals(100, a.queuedBytes(), "each websocket still counts it against its own send buffer");
    TextQueue.Message m = a.takeMessage();
    a.sent(m.bytes());
    assertEquals(100, budget.heldBytes(), "b still holds it");
    b.takeMessage();
    assertEquals(100, budget.heldBytes(), "held while in flight");
    b.clear();
    assertEquals(0, budget.heldBytes());
  }

  @Test
  void largePiecesAreSentAsTheyAreNotCopiedIntoAMergedMessage() {
    TextQueue queue = new TextQueue(budget);
    String big = "y".repeat(TextQueue.MERGE_BELOW_CHARS);
    queue.addText("a", 1);
    queue.addText(big, big.length());
    queue.addText("b", 1);
    assertEquals("a", queue.takeMessage().text());
    org.junit.jupiter.api.Assertions.assertSame(big, queue.takeMessage().text());
    assertEquals("b", queue.takeMessage().text());
  }

  @Test
  void aLargeSharedPieceIsCutOnceAndEveryWebsocketSendsTheSameParts() {
    SharedText piece = new SharedText("z".repeat(TextQueue.MAX_MESSAGE_CHARS * 2 + 5), 1000);
    TextQueue a = new TextQueue(budget);
    TextQueue b = new TextQueue(budget);
    a.addShared(piece);
    b.addShared(piece);
    for (int i = 0; i < 3; i++) {
      TextQueue.Message ma = a.takeMessage();
      TextQueue.Message mb = b.takeMessage();
      org.junit.jupiter.api.Assertions.assertSame(ma.text(), mb.text(), "part " + i + " not copied per websocket");
      assertEquals(i == 2 ? 1000 : 0, ma.bytes(), "the bytes go with the last part");
      a.sent(ma.bytes());
      b.sent(mb.bytes());
    }
    assertEquals(0, budget.heldBytes());
  }

  @Test
  void aClearedQueueHoldsNothingAndCountsNothing() {
    TextQueue queue = new TextQueue(budget);
    queue.addText("abc", 3);
    TextQueue.Message m = queue.takeMessage();
    queue.clear();
    assertEquals(0, budget.heldBytes(), "the message in flight is let go with the rest");
    assertEquals(0, queue.queuedBytes(), "a closing websocket is never the slowest");
    queue.sent(m.bytes());
    queue.addText("late", 4);
    assertEquals(0, queue.queuedBytes());
    assertEquals(0, budget.heldBytes());
  }
}
