package org.fingerpost.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The machine-wide CPU share the relay benchmarks report per path. */
class MachineCpuTest {
  @Test
  void busyShareIsTheBusyPartOfTheTicksBetweenTwoReadings() {
    assertEquals(0.75, MachineCpu.busyShare(new long[] {100, 400}, new long[] {175, 500}), 1e-9);
    assertEquals(0.0, MachineCpu.busyShare(new long[] {100, 400}, new long[] {100, 500}), 1e-9);
    assertTrue(Double.isNaN(MachineCpu.busyShare(new long[] {100, 400}, new long[] {100, 400})),
        "no time passed: no share");
  }

  @Test
  void readsThisMachinesCounters() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/stat")), "Linux only");
    long[] first = MachineCpu.ticks();
    long[] second = MachineCpu.ticks();
    assertTrue(first[0] > 0 && first[0] <= first[1], "busy is part of the total since boot");
    // Only busy time is monotonic: the kernel documents that iowait, part of the total, may go back.
    assertTrue(second[0] >= first[0], "busy time never goes back");
  }
}
