package org.fingerpost.streamer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StreamerSettingsTest {
  private static final Path JOBS = Path.of("/var/lib/zuul/builds");

  @Test
  void defaultsMatchTheAgreedApi() {
    StreamerSettings c = StreamerSettings.builder(JOBS).build();
    assertEquals("::", c.listenAddress());
    assertEquals(7900, c.port());
    assertNull(c.zone());
    assertEquals(JOBS, c.jobDir());
    assertEquals("default", c.tenant());
    assertTrue(c.publishBuilds());
    assertEquals(Duration.ofMillis(250), c.pollInterval());
    assertEquals(64 * 1024, c.chunkBytes());
    assertFalse(c.hostname().isBlank(), "defaults to this host's name");
  }

  @Test
  void settingsAndCopies() {
    StreamerSettings c = StreamerSettings.builder(JOBS).listenAddress("127.0.0.1").port(0).hostname(" exec1 ")
        .zone(" ").tenant("t").publishBuilds(false).pollInterval(Duration.ofSeconds(1)).chunkBytes(4096)
        .build();
    assertEquals("exec1", c.hostname());
    assertNull(c.zone(), "blank zone is unzoned");
    StreamerSettings copy = c.toBuilder().zone("z").build();
    assertEquals("z", copy.zone());
    assertEquals("exec1", copy.hostname());
    assertEquals(4096, copy.chunkBytes());
    assertFalse(copy.publishBuilds());
    assertEquals(Duration.ofSeconds(1), copy.pollInterval());
  }

  @Test
  void rejectsBadValues() {
    assertThrows(IllegalArgumentException.class, () -> StreamerSettings.builder().build());
    assertThrows(IllegalArgumentException.class, () -> StreamerSettings.builder(JOBS).port(65536));
    assertThrows(IllegalArgumentException.class, () -> StreamerSettings.builder(JOBS).chunkBytes(1));
    assertThrows(IllegalArgumentException.class,
        () -> StreamerSettings.builder(JOBS).pollInterval(Duration.ofMillis(1)));
    assertThrows(IllegalArgumentException.class, () -> StreamerSettings.builder(JOBS).tenant(" ").build());
  }
}
