package org.fingerpost.streamer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fingerpost.testing.RecordingSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class JobDirWatcherTest {
  private static final long WAIT_S = RecordingSink.TIMEOUT.toSeconds();

  @TempDir Path jobDir;
  private FileChangeNotifier notifier;
  private ExecutorService pool;
  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private JobDirWatcher watcher;

  /** Records listener calls as "started id" / "ended id". */
  static final class QueueListener implements JobDirWatcher.Listener {
    private final BlockingQueue<String> events;

    QueueListener(BlockingQueue<String> events) {
      this.events = events;
    }

    @Override
    public void buildStarted(String buildId) {
      events.add("started " + buildId);
    }

    @Override
    public void buildEnded(String buildId) {
      events.add("ended " + buildId);
    }
  }

  static Path createLog(Path jobDir, String id) throws IOException {
    Path log = BuildPaths.logFile(jobDir, id);
    Files.createDirectories(log.getParent());
    Files.write(log, "hello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return log;
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  @BeforeEach
  void setUp() {
    notifier = FileChangeNotifier.start(FileChangeNotifier.DEFAULT_POLL_INTERVAL);
    pool = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void tearDown() {
    if (watcher != null) {
      watcher.close();
    }
    notifier.close();
    pool.shutdownNow();
  }

  private void startWatcher() {
    watcher = new JobDirWatcher(jobDir, new QueueListener(events), notifier, pool);
    watcher.start();
  }

  private String nextEvent() throws InterruptedException {
    return events.poll(WAIT_S, TimeUnit.SECONDS);
  }

  @Test
  void buildsPresentAtStartAreReported() throws Exception {
    createLog(jobDir, "0a1b");
    createLog(jobDir, "FFEE");
    startWatcher();
    assertEquals(Set.of("started 0a1b", "started FFEE"), Set.of(nextEvent(), nextEvent()));
    assertEquals(Set.of("0a1b", "FFEE"), watcher.builds());
  }

  @Test
  void buildIsReportedWhenItsLogAppears() throws Exception {
    startWatcher();
    Path buildDir = Files.createDirectories(jobDir.resolve("cafe").resolve("work"));
    // Not a build (name), and a build directory without log yet: neither is reported...
    Files.createDirectories(jobDir.resolve("not-a-build/work/logs"));
    Files.write(jobDir.resolve("not-a-build/work/logs/job-output.txt"), new byte[] {1});
    // ...by the scan that reports this marker build, created after them.
    createLog(jobDir, "00");
    assertEquals("started 00", nextEvent());
    Files.createDirectories(buildDir.resolve("logs"));
    Files.write(buildDir.resolve("logs/job-output.txt"), new byte[] {1});
    assertEquals("started cafe", nextEvent());
    assertEquals(Set.of("00", "cafe"), watcher.builds());
  }

  @Test
  void removedLogEndsTheBuild() throws Exception {
    Path log = createLog(jobDir, "beef");
    startWatcher();
    assertEquals("started beef", nextEvent());
    Files.delete(log);
    assertEquals("ended beef", nextEvent());
    assertEquals(Set.of(), watcher.builds());
    // The log comes back (a new build with the same id, in practice never): reported again.
    createLog(jobDir, "beef");
    assertEquals("started beef", nextEvent());
  }

  @Test
  void removedDirectoryEndsTheBuild() throws Exception {
    createLog(jobDir, "1234");
    createLog(jobDir, "5678");
    startWatcher();
    assertEquals(Set.of("started 1234", "started 5678"), Set.of(nextEvent(), nextEvent()));
    deleteTree(jobDir.resolve("1234"));
    assertEquals("ended 1234", nextEvent());
    assertEquals(Set.of("5678"), watcher.builds());
  }

  @Test
  void missingJobDirIsEmptyUntilCreated() throws Exception {
    Path missing = jobDir.resolve("jobs");
    watcher = new JobDirWatcher(missing, new QueueListener(events), notifier, pool);
    watcher.start();
    Files.createDirectory(missing);
    createLog(missing, "abcdef");
    assertEquals("started abcdef", nextEvent());
  }

  @Test
  void closeStopsReports() throws Exception {
    startWatcher();
    watcher.close();
    createLog(jobDir, "aaaa");
    // Wait for two scans that would have happened, then check nothing was reported.
    TestFiles.awaitPollTicks(notifier, 2 * (int) (JobDirWatcher.SCAN_INTERVAL.toMillis()
        / notifier.pollInterval().toMillis()));
    assertNull(events.poll());
  }

  @Test
  void startTwiceFails() {
    startWatcher();
    assertThrows(IllegalStateException.class, watcher::start);
  }
}
