package org.fingerpost.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransportSettingsTest {
  private final TransportSettings s = new TransportSettings(Map.of(
      "connect_timeout", "1500", "buffer_bytes", "4096", "verify", "no", "blank", " ", "bad", "x"));

  @Test
  void typedValuesAndFallbacks() {
    assertEquals(Duration.ofMillis(1500), s.getMillis("connect_timeout", Duration.ZERO));
    assertEquals(4096, s.getInt("buffer_bytes", 1));
    assertFalse(s.getBoolean("verify", true));
    assertTrue(s.getBoolean("absent", true));
    assertEquals("fallback", s.get("blank", "fallback"), "blank counts as unset");
    assertTrue(s.get("absent").isEmpty());
  }

  @Test
  void invalidValuesNameTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.getInt("bad", 0));
    assertTrue(e.getMessage().contains("bad"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> s.getBoolean("bad", false));
  }
}
