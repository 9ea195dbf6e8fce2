package org.fingerpost.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitedWarningTest {
  @Test
  void upToTheLinesOfAnIntervalAtWarnTheRestAtDebug() {
    List<String> warns = new ArrayList<>();
    List<String> debugs = new ArrayList<>();
    RateLimitedWarning w = new RateLimitedWarning(warns::add, debugs::add, Duration.ofHours(1), 2);
    for (int i = 0; i < 5; i++) {
      w.warn("refused " + i);
    }
    assertEquals(List.of("refused 0", "refused 1"), warns);
    assertEquals(List.of("refused 2", "refused 3", "refused 4"), debugs);
  }

  @Test
  void theNextIntervalCountsWhatWasLeftOut() {
    List<String> warns = new ArrayList<>();
    RateLimitedWarning w = new RateLimitedWarning(warns::add, m -> { }, Duration.ofNanos(1));
    w.warn("a");
    w.warn("b");
    // Each call is a new interval of 1 ns: every line is logged, none left out.
    assertEquals(List.of("a", "b"), warns);
    List<String> hourly = new ArrayList<>();
    RateLimitedWarning h = new RateLimitedWarning(hourly::add, m -> { }, Duration.ofHours(1));
    h.warn("x");
    h.warn("y");
    assertEquals(List.of("x"), hourly);
  }
}
