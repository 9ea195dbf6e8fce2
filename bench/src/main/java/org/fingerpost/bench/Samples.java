package org.fingerpost.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Latency samples (ns) of one sender: an array that grows by doubling up to a cap. It starts small
 * because G1 puts an array of half a region or more (512 KiB with a 1 GiB heap) straight into the old
 * generation: one such array per sender and phase set off concurrent marking cycles that took 12 % of
 * the benchmark JVM's CPU, on the cores the system under test uses. Not thread-safe.
 */
final class Samples {
  /** Samples the array holds before it first grows. */
  static final int INITIAL_CAPACITY = 1024;

  private final int max;
  private long[] values = new long[INITIAL_CAPACITY];
  private int count;

  /** @param max samples kept; later ones are dropped */
  Samples(int max) {
    this.max = max;
  }

  void add(long nanos) {
    if (count == max) {
      return;
    }
    if (count == values.length) {
      values = Arrays.copyOf(values, Math.min(max, count * 2));
    }
    values[count++] = nanos;
  }

  int count() {
    return count;
  }

  /** The samples of all of {@code each}, in one array. */
  static long[] concat(List<Samples> each) {
    long[] all = new long[each.stream().mapToInt(Samples::count).sum()];
    int k = 0;
    for (Samples s : each) {
      System.arraycopy(s.values, 0, all, k, s.count);
      k += s.count;
    }
    return all;
  }
}
