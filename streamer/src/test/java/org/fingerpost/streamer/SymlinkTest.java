package org.fingerpost.streamer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import org.fingerpost.streamer.internal.LogRequests;
import org.fingerpost.testing.RawFingerClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 4: the streamer serves no file reached through a symbolic link below {@code
 * job_dir} (real files and real links in temp directories, a real streamer on port 0). A refused
 * build gets the answer of an unknown build, never a byte of the link's target, and one WARN line.
 */
@Timeout(60)
class SymlinkTest {
  private static final String BUILD = "0123456789abcdef0123456789abcdef";
  private static final String OTHER = "fedcba9876543210fedcba9876543210";
  private static final String SECRET = "root:x:0:0:root:/root:/bin/bash\n";
  private static final String NOT_FOUND = "Build ID " + BUILD + " not found";

  @TempDir Path temp;
  private Path jobDir;
  private Path outside;
  private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger requestsLog = (Logger) org.slf4j.LoggerFactory.getLogger(LogRequests.class);

  @BeforeEach
  void dirs() throws IOException {
    jobDir = Files.createDirectory(temp.resolve("jobs"));
    outside = Files.createDirectory(temp.resolve("outside"));
    Files.writeString(outside.resolve("passwd"), SECRET);
    logged.start();
    requestsLog.addAppender(logged);
  }

  @AfterEach
  void closeAll() throws Exception {
    requestsLog.detachAppender(logged);
    while (!toClose.isEmpty()) {
      toClose.pop().close();
    }
  }

  private int start(Path dir) throws IOException {
    Streamer s = new Streamer(StreamerSettings.builder(dir).port(0).hostname("executor-1").build(), null);
    toClose.push(s);
    s.start();
    return s.port();
  }

  private static Path logOf(Path jobDir, String id) {
    return jobDir.resolve(id).resolve("work/logs/job-output.txt");
  }

  private long warnings() {
    return logged.list.stream().filter(e -> e.getLevel() == Level.WARN
        && e.getFormattedMessage().contains(BUILD)).count();
  }

  @Test
  void aLogLinkedOutOfTheJobDirIsAnUnknownBuildAndWarnedOnce() throws Exception {
    Path log = logOf(jobDir, BUILD);
    Files.createDirectories(log.getParent());
    Files.createSymbolicLink(log, outside.resolve("passwd"));
    int port = start(jobDir);
    assertEquals(NOT_FOUND, RawFingerClient.fetchText(port, BUILD + "\n"));
    assertEquals(NOT_FOUND, RawFingerClient.fetchText(port, BUILD + "@3\n"));
    assertEquals(1, warnings(), "one WARN per build: " + logged.list);
    assertFalse(logged.list.toString().contains(SECRET.trim()));
  }

  @Test
  void aLinkedDirectoryInTheBuildTreeIsRefused() throws Exception {
    Files.createDirectories(outside.resolve("logs"));
    Files.writeString(outside.resolve("logs/job-output.txt"), SECRET);
    Files.createDirectories(jobDir.resolve(BUILD).resolve("work"));
    Files.createSymbolicLink(jobDir.resolve(BUILD).resolve("work/logs"), outside.resolve("logs"));
    assertEquals(NOT_FOUND, RawFingerClient.fetchText(start(jobDir), BUILD + "\n"));
  }

  @Test
  void aLinkedBuildDirectoryIsRefused() throws Exception {
    Path realBuild = outside.resolve("build");
    Files.createDirectories(logOf(outside, "build").getParent());
    Files.writeString(logOf(outside, "build"), SECRET);
    Files.createSymbolicLink(jobDir.resolve(BUILD), realBuild);
    assertEquals(NOT_FOUND, RawFingerClient.fetchText(start(jobDir), BUILD + "\n"));
  }

  @Test
  void aLinkPointingInsideTheJobDirIsRefusedToo() throws Exception {
    Path other = logOf(jobDir, OTHER);
    Files.createDirectories(other.getParent());
    Files.writeString(other, "the other build's log\n");
    Path log = logOf(jobDir, BUILD);
    Files.createDirectories(log.getParent());
    Files.createSymbolicLink(log, other);
    int port = start(jobDir);
    assertEquals(NOT_FOUND, RawFingerClient.fetchText(port, BUILD + "\n"));
    try (RawFingerClient c = RawFingerClient.request(port, OTHER + "\n")) {
      assertEquals("the other build's log\n", new String(c.readExactly(22), UTF_8));
    }
  }

  @Test
  void aSymlinkedJobDirIsServed() throws Exception {
    Path log = logOf(jobDir, BUILD);
    Files.createDirectories(log.getParent());
    Files.writeString(log, "served through a linked job_dir\n");
    Path linkedJobDir = Files.createSymbolicLink(temp.resolve("jobs-link"), jobDir);
    try (RawFingerClient c = RawFingerClient.request(start(linkedJobDir), BUILD + "\n")) {
      assertEquals("served through a linked job_dir\n", new String(c.readExactly(32), UTF_8));
    }
    assertEquals(0, warnings());
  }

  @Test
  void aLogReplacedByALinkWhileStreamingEndsWithTheInternalError() throws Exception {
    Path log = logOf(jobDir, BUILD);
    Files.createDirectories(log.getParent());
    Files.writeString(log, "first part\n");
    try (RawFingerClient c = RawFingerClient.request(start(jobDir), BUILD + "\n")) {
      assertEquals("first part\n", new String(c.readExactly(11), UTF_8));
      Path link = Files.createSymbolicLink(log.resolveSibling("link"), outside.resolve("passwd"));
      Files.move(link, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      assertEquals("first part\nInternal streaming error", c.readToEndText());
    }
  }
}
