package org.fingerpost.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamTargetTest {
  @Test
  void defaultsAreDocumented() {
    StreamTarget t = StreamTarget.builder("ab12", "ze01.example", 7900).build();
    assertFalse(t.tls());
    assertEquals("ze01.example", t.serverName(), "SNI name defaults to the host");
    assertEquals(StreamTarget.Route.DIRECT, t.route());
    assertNull(t.zone());
    assertTrue(t.capabilities().isEmpty());
    assertTrue(t.attributes().isEmpty());
  }

  @Test
  void toBuilderKeepsEverything() {
    StreamTarget t = StreamTarget.builder("ab12", "gw", 79).tls(true).serverName("gw.zone-b.example")
        .route(StreamTarget.Route.GATEWAY).zone("zone-b").capabilities(Set.of("offset"))
        .attributes(Map.of("k", "v")).build();
    StreamTarget copy = t.toBuilder().build();
    assertEquals(t.toString(), copy.toString());
    assertEquals("gw.zone-b.example", copy.serverName());
    assertEquals(Set.of("offset"), copy.capabilities());
    assertEquals(Map.of("k", "v"), copy.attributes());
  }

  @Test
  void portMustBeValid() {
    assertThrows(IllegalArgumentException.class, () -> StreamTarget.builder("ab", "h", 0));
    assertThrows(IllegalArgumentException.class, () -> StreamTarget.builder("ab", "h", 65536));
  }
}
