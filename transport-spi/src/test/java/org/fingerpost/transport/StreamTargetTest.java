package org.fingerpost.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  void relayPartsAreTypedAndKeptByToBuilder() {
    StreamTarget plain = StreamTarget.builder("ab12", "gw", 79).build();
    assertTrue(plain.alternates().isEmpty());
    assertTrue(plain.fallback().isEmpty());
    assertNull(plain.requesterZone());

    List<StreamTarget.Endpoint> alternates = List.of(new StreamTarget.Endpoint("gw-2", 7002, true),
        new StreamTarget.Endpoint("gw-3", 7003, false));
    StreamTarget t = StreamTarget.builder("ab12", "gw-1", 7001).route(StreamTarget.Route.GATEWAY)
        .alternates(alternates).fallback(new StreamTarget.Endpoint("ex", 7900, false)).requesterZone("west")
        .build();
    StreamTarget copy = t.toBuilder().offset(0).build();
    assertEquals(alternates, copy.alternates(), "same endpoints, same order");
    assertEquals(Optional.of(new StreamTarget.Endpoint("ex", 7900, false)), copy.fallback());
    assertEquals("west", copy.requesterZone());
    assertEquals("tls://gw-2:7002", alternates.get(0).toString());
    assertThrows(IllegalArgumentException.class, () -> new StreamTarget.Endpoint(" ", 79, false));
    assertThrows(IllegalArgumentException.class, () -> new StreamTarget.Endpoint("h", 0, false));
  }

  @Test
  void portMustBeValid() {
    assertThrows(IllegalArgumentException.class, () -> StreamTarget.builder("ab", "h", 0));
    assertThrows(IllegalArgumentException.class, () -> StreamTarget.builder("ab", "h", 65536));
  }
}
