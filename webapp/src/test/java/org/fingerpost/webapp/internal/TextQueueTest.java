package org.fingerpost.webapp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import java.nio.charset.StandardCharsets;
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

  @Test
  void aSharedPieceIsEncodedOnceForEveryQueueThatSendsIt() {
    SharedText piece = new SharedText("héllo\n", 7);
    TextQueue a = new TextQueue();
    TextQueue b = new TextQueue();
    a.addShared(piece);
    b.addShared(piece);
    TextQueue.Message fromA = a.takeMessage();
    TextQueue.Message fromB = b.takeMessage();
    assertArrayEquals("héllo\n".getBytes(StandardCharsets.UTF_8), fromA.utf8());
    assertSame(fromA.utf8(), fromB.utf8(), "one encoding for both websockets");
  }

  @Test
  void mergedTextIsEncodedForItsOwnMessage() {
    TextQueue queue = new TextQueue();
    queue.addText("ab", 2);
    queue.addText("cé", 3);
    TextQueue.Message m = queue.takeMessage();
    assertArrayEquals("abcé".getBytes(StandardCharsets.UTF_8), m.utf8());
  }

  @Test
  void theEncodingIsDroppedOnceNoQueueHoldsTheText() {
    SharedText piece = new SharedText("abc", 3);
    TextQueue queue = new TextQueue();
    queue.addShared(piece);
    TextQueue.Message m = queue.takeMessage();
    byte[] first = m.utf8();
    queue.sent(m.bytes()); // the last holder lets go
    TextQueue later = new TextQueue();
    later.addShared(piece);
    byte[] again = later.takeMessage().utf8();
    assertArrayEquals(first, again);
    assertNotSame(first, again, "encoded anew: nothing was kept while no queue held the text");
  }

  @Test
  void everyPartOfALargeSharedPieceIsEncodedOnce() {
    SharedText piece = new SharedText("x".repeat(MAX + 10), MAX + 10);
    TextQueue a = new TextQueue();
    TextQueue b = new TextQueue();
    a.addShared(piece);
    b.addShared(piece);
    for (int part = 0; part < 2; part++) {
      byte[] fromA = a.takeMessage().utf8();
      assertSame(fromA, b.takeMessage().utf8(), "part " + part);
    }
  }
}
