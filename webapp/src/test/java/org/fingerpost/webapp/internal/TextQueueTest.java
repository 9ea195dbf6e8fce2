package org.fingerpost.webapp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;

class TextQueueTest {
  private static final int MAX = TextQueue.MAX_MESSAGE_CHARS;

  @Test
  void piecesAreMergedIntoOneMessageWithTheirBytes() {
    TextQueue queue = new TextQueue();
    queue.addText("ab", 2);
    queue.addText("cd", 3);
    assertEquals(5, queue.queuedBytes());
    TextQueue.Message m = queue.takeMessage();
    assertEquals("abcd", m.text());
    assertEquals(5, m.bytes());
    assertTrue(queue.isEmpty());
    queue.sent(m.bytes());
    assertEquals(0, queue.queuedBytes());
  }

  @Test
  void largeTextIsSplitAndItsBytesGoWithTheLastPart() {
    TextQueue queue = new TextQueue();
    queue.addText("x".repeat(MAX + 10), 100);
    TextQueue.Message first = queue.takeMessage();
    assertEquals(MAX, first.text().length());
    assertEquals(0, first.bytes());
    TextQueue.Message rest = queue.takeMessage();
    assertEquals(10, rest.text().length());
    assertEquals(100, rest.bytes());
  }

  @Test
  void aSurrogatePairIsNeverSplit() {
    TextQueue queue = new TextQueue();
    String emoji = "\uD83D\uDE00";
    queue.addText("a".repeat(MAX - 1) + emoji, 1);
    assertEquals(MAX - 1, queue.takeMessage().text().length());
    assertEquals(emoji, queue.takeMessage().text());
  }

  @Test
  void theCloseComesAfterTheTextBeforeIt() {
    TextQueue queue = new TextQueue();
    CloseReason close = new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "No more data");
    queue.addText("tail", 0);
    queue.addClose(close);
    assertNull(queue.takeClose(), "text first");
    assertEquals("tail", queue.takeMessage().text());
    assertSame(close, queue.takeClose());
    assertTrue(queue.isEmpty());
  }
}
