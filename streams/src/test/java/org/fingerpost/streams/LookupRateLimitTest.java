package org.fingerpost.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket per client address of {@link LookupRateLimit}, on a clock the test moves. */
class LookupRateLimitTest {
  private final AtomicLong nanos = new AtomicLong(1_000);

  @Test
  void aBurstThenTheRatePerAddress() {
    LookupRateLimit limit = LookupRateLimit.of(2, 3, nanos::get);
    for (int i = 0; i < 3; i++) {
      assertTrue(limit.tryAcquire("10.0.0.1"));
    }
    assertFalse(limit.tryAcquire("10.0.0.1"));
    assertTrue(limit.tryAcquire("10.0.0.2"), "another address has its own bucket");
    nanos.addAndGet(500_000_000L); // half a second at 2 a second: one token
    assertTrue(limit.tryAcquire("10.0.0.1"));
    assertFalse(limit.tryAcquire("10.0.0.1"));
    nanos.addAndGet(60_000_000_000L);
    for (int i = 0; i < 3; i++) {
      assertTrue(limit.tryAcquire("10.0.0.1"), "refilled up to the burst, no more");
    }
    assertFalse(limit.tryAcquire("10.0.0.1"));
  }

  @Test
  void zeroIsNoLimit() {
    LookupRateLimit none = LookupRateLimit.none();
    for (int i = 0; i < 10_000; i++) {
      assertTrue(none.tryAcquire("10.0.0.1"));
    }
  }

  @Test
  void hostOfAnAddressAndPort() {
    assertEquals("10.0.0.1", LookupRateLimit.host("10.0.0.1:4242"));
    assertEquals("[::1]", LookupRateLimit.host("[::1]:4242"));
    assertEquals("::1", LookupRateLimit.host("::1"));
  }

  @Test
  void badValuesNameTheKey() {
    assertEquals("lookup_rate must be 0 (no limit) or a positive number, not -1.0",
        assertThrows(IllegalArgumentException.class, () -> LookupRateLimit.of(-1, 5)).getMessage());
    assertEquals("lookup_burst must be at least 1, not 0",
        assertThrows(IllegalArgumentException.class, () -> LookupRateLimit.of(5, 0)).getMessage());
  }
}
