package org.fingerpost.streamer.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.fingerpost.streamer.internal.TestFiles.append;
import static org.fingerpost.streamer.internal.TestFiles.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fingerpost.testing.RecordingSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Follower and job dir watcher on a file system without change events: the poll tick alone. */
@Timeout(60)
// try-with-resources below only closes subscriptions and followers: "try" lint is noise.
@SuppressWarnings("try")
class PollingFallbackTest {
  @TempDir Path dir;
  private FileChangeNotifier notifier;
  private ExecutorService pool;

  @BeforeEach
  void setUp() {
    notifier = FileChangeNotifier.startPollingOnly(Duration.ofMillis(50));
    pool = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void tearDown() {
    notifier.close();
    pool.shutdownNow();
  }

  @Test
  void followerSeesGrowthTruncationAndRemoval() throws Exception {
    assertFalse(notifier.hasChangeEvents());
    Path file = dir.resolve("job-output.txt");
    byte[] a = "first\n".getBytes(UTF_8);
    byte[] b = "second\n".getBytes(UTF_8);
    byte[] c = "x\n".getBytes(UTF_8);
    Files.write(file, a);
    RecordingSink sink = new RecordingSink();
    try (LogFollower f = LogFollower.open(file, sink, notifier, pool, LogFollower.DEFAULT_CHUNK_BYTES)) {
      sink.awaitBytes(a.length);
      append(file, b);
      sink.awaitBytes(a.length + b.length);
      Files.write(file, c); // truncates and rewrites
      sink.awaitBytes(a.length + b.length + c.length);
      Files.delete(file);
      sink.awaitEnd();
      assertArrayEquals(concat(a, b, c), sink.bytes());
    }
  }

  @Test
  void jobDirWatcherScansWithoutEvents() throws Exception {
    LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    try (JobDirWatcher w = new JobDirWatcher(dir, new JobDirWatcherTest.QueueListener(events), notifier,
        pool, Duration.ofMillis(50))) {
      w.start();
      Path log = JobDirWatcherTest.createLog(dir, "abc123");
      assertEquals("started abc123", events.poll(20, TimeUnit.SECONDS));
      Files.delete(log);
      assertEquals("ended abc123", events.poll(20, TimeUnit.SECONDS));
    }
  }
}
