package org.fingerpost.streamer.internal;

import static org.fingerpost.streamer.internal.TestFiles.append;
import static org.fingerpost.streamer.internal.TestFiles.awaitPollTicks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fingerpost.testing.RecordingSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
// try-with-resources below only closes subscriptions and followers: "try" lint is noise.
@SuppressWarnings("try")
class FileChangeNotifierTest {
  private static final long WAIT_MS = RecordingSink.TIMEOUT.toMillis();

  @TempDir Path dir;
  private FileChangeNotifier notifier;

  @BeforeEach
  void setUp() {
    notifier = FileChangeNotifier.start(FileChangeNotifier.DEFAULT_POLL_INTERVAL);
    assumeTrue(notifier.hasChangeEvents(), "this file system delivers no change events");
  }

  @AfterEach
  void tearDown() {
    notifier.close();
  }

  @Test
  void createModifyDeleteWakeTheListener() throws Exception {
    Semaphore wakes = new Semaphore(0);
    try (FileChangeNotifier.Subscription s = notifier.onChange(dir, wakes::release)) {
      Path f = dir.resolve("f");
      Files.write(f, new byte[] {1});
      assertTrue(wakes.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS), "create");
      wakes.drainPermits();
      append(f, new byte[] {2});
      assertTrue(wakes.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS), "modify");
      wakes.drainPermits();
      Files.delete(f);
      assertTrue(wakes.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS), "delete");
    }
  }

  @Test
  void registrationsAreReferenceCounted() throws Exception {
    Semaphore a = new Semaphore(0);
    Semaphore b = new Semaphore(0);
    FileChangeNotifier.Subscription sa = notifier.onChange(dir, a::release);
    // Another spelling of the same directory shares the registration.
    FileChangeNotifier.Subscription sb = notifier.onChange(dir.resolve("x/..").normalize(), b::release);
    assertEquals(1, notifier.watchedDirectories());
    sa.close();
    sa.close(); // idempotent: must not drop b's reference
    assertEquals(1, notifier.watchedDirectories());
    Files.write(dir.resolve("f"), new byte[] {1});
    assertTrue(b.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS), "remaining subscriber still woken");
    sb.close();
    assertEquals(0, notifier.watchedDirectories());
  }

  @Test
  void directoryCreatedLaterIsPickedUpByThePollTick() throws Exception {
    Path later = dir.resolve("later");
    Semaphore wakes = new Semaphore(0);
    try (FileChangeNotifier.Subscription s = notifier.onChange(later, wakes::release)) {
      assertEquals(0, notifier.watchedDirectories());
      Files.createDirectory(later);
      // The tick registers it and wakes the listener once, since events before were missed.
      assertTrue(wakes.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS));
      assertEquals(1, notifier.watchedDirectories());
      wakes.drainPermits();
      Files.write(later.resolve("f"), new byte[] {1});
      assertTrue(wakes.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  void removedDirectoryWakesAndIsDropped() throws Exception {
    Path sub = Files.createDirectory(dir.resolve("sub"));
    Semaphore wakes = new Semaphore(0);
    try (FileChangeNotifier.Subscription s = notifier.onChange(sub, wakes::release)) {
      Files.delete(sub);
      assertTrue(wakes.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS));
      awaitPollTicks(notifier, 1);
      assertEquals(0, notifier.watchedDirectories());
    }
  }

  @Test
  void pollTickRunsUntilUnsubscribed() throws Exception {
    AtomicInteger count = new AtomicInteger();
    FileChangeNotifier.Subscription s = notifier.onPoll(count::incrementAndGet);
    awaitPollTicks(notifier, 2);
    assertTrue(count.get() >= 2);
    s.close();
    awaitPollTicks(notifier, 1); // a tick that started before close may still have counted
    int after = count.get();
    awaitPollTicks(notifier, 2);
    assertEquals(after, count.get());
  }

  @Test
  void failingListenerDoesNotStopOthers() throws Exception {
    Semaphore good = new Semaphore(0);
    try (FileChangeNotifier.Subscription bad = notifier.onPoll(() -> {
          throw new IllegalStateException("test: broken listener");
        });
        FileChangeNotifier.Subscription ok = notifier.onPoll(good::release)) {
      assertTrue(good.tryAcquire(3, WAIT_MS, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  void everyRunsPeriodically() throws Exception {
    Semaphore runs = new Semaphore(0);
    try (FileChangeNotifier.Subscription s = notifier.every(Duration.ofMillis(20), runs::release)) {
      assertTrue(runs.tryAcquire(3, WAIT_MS, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  void rejectsNonPositiveInterval() {
    assertThrows(IllegalArgumentException.class, () -> FileChangeNotifier.start(Duration.ZERO));
  }
}
