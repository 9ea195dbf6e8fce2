package org.fingerpost.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The senders' growable latency arrays. */
class SamplesTest {
  @Test
  void growsPastItsInitialCapacityAndKeepsEverySample() {
    Samples s = new Samples(10 * Samples.INITIAL_CAPACITY);
    for (int i = 0; i < 3 * Samples.INITIAL_CAPACITY + 1; i++) {
      s.add(i);
    }
    assertEquals(3 * Samples.INITIAL_CAPACITY + 1, s.count());
    long[] all = Samples.concat(List.of(s));
    assertEquals(3 * Samples.INITIAL_CAPACITY, all[all.length - 1]);
  }

  @Test
  void dropsSamplesPastItsCap() {
    Samples s = new Samples(3);
    for (int i = 1; i <= 5; i++) {
      s.add(i);
    }
    assertEquals(3, s.count());
    assertArrayEquals(new long[] {1, 2, 3}, Samples.concat(List.of(s)));
  }

  @Test
  void concatKeepsTheOrderOfTheSendersAndOfTheirSamples() {
    Samples a = new Samples(10);
    Samples b = new Samples(10);
    Samples empty = new Samples(10);
    a.add(1);
    a.add(2);
    b.add(3);
    assertArrayEquals(new long[] {1, 2, 3}, Samples.concat(List.of(a, empty, b)));
  }
}
