package org.fingerpost.streams.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
  private static List<byte[]> kept(ReplayWindow window) {
    List<byte[]> out = new ArrayList<>();
    window.replay(out::add);
    return out;
  }

  @Test
  void keepsChunksWhileTheLogFitsThenLetsGoForGood() {
    ReplayWindow window = new ReplayWindow(10, new AtomicLong());
    window.add(4, new byte[4]);
    window.add(6, new byte[6]);
    assertTrue(window.fromZero());
    assertEquals(2, kept(window).size());
    assertFalse(window.pastAfter(0));
    assertTrue(window.pastAfter(1));
    window.add(1, null); // past the window: no copy needed
    assertFalse(window.fromZero());
    assertTrue(kept(window).isEmpty());
    window.add(3, null);
    assertTrue(window.pastAfter(0), "once past, always past");
  }

  @Test
  void zeroWindowKeepsNothing() {
    ReplayWindow window = new ReplayWindow(0, new AtomicLong());
    assertTrue(window.pastAfter(1));
    window.add(1, null);
    assertFalse(window.fromZero());
  }

  @Test
  void clearForgetsTheChunks() {
    ReplayWindow window = new ReplayWindow(10, new AtomicLong());
    window.add(2, new byte[2]);
    window.clear();
    assertTrue(kept(window).isEmpty());
  }

  @Test
  void theNodesTotalCountsKeptBytesUntilTheWindowLetsGoOrClears() {
    AtomicLong held = new AtomicLong(5); // another window's bytes
    ReplayWindow window = new ReplayWindow(10, held);
    window.add(4, new byte[4]);
    window.add(6, new byte[6]);
    assertEquals(15, held.get());
    window.add(1, null);
    assertEquals(5, held.get(), "past the window: its bytes are given back");
    window.clear();
    assertEquals(5, held.get(), "cleared twice, counted once");

    ReplayWindow finished = new ReplayWindow(10, held);
    finished.add(3, new byte[3]);
    assertEquals(8, held.get());
    finished.clear();
    assertEquals(5, held.get());
  }
}
