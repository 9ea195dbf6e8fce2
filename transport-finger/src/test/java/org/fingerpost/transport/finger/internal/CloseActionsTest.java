package org.fingerpost.transport.finger.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloseActionsTest {
  @Test
  void actionsRunOnceInOrderAndAFailingOneDoesNotStopTheOthers() {
    CloseActions actions = new CloseActions("test");
    List<String> ran = new ArrayList<>();
    assertTrue(actions.add(() -> ran.add("first")));
    assertTrue(actions.add(() -> {
      throw new IllegalStateException("boom");
    }));
    assertTrue(actions.add(() -> ran.add("third")));
    actions.run(actions.take());
    assertEquals(List.of("first", "third"), ran);
    assertNull(actions.take(), "taken once");
    actions.run(null);
    assertEquals(2, ran.size());
  }

  @Test
  void anActionAddedAfterTheEndIsRefusedForTheCallerToRunNow() {
    CloseActions actions = new CloseActions("test");
    actions.take();
    List<String> ran = new ArrayList<>();
    Runnable late = () -> ran.add("late");
    assertFalse(actions.add(late));
    actions.runNow(late);
    assertEquals(List.of("late"), ran);
  }
}
