package org.fingerpost.streamer.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fingerpost.testing.RecordingSink;

/** Helpers shared by the file tests. */
// try-with-resources below only closes subscriptions and followers: "try" lint is noise.
@SuppressWarnings("try")
final class TestFiles {
  private TestFiles() {}

  static void append(Path file, byte[] data) throws IOException {
    Files.write(file, data, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  /** Waits for {@code n} poll ticks of {@code notifier}: every parked follower was woken at least once. */
  static void awaitPollTicks(FileChangeNotifier notifier, int n) throws InterruptedException {
    CountDownLatch ticks = new CountDownLatch(n + 1); // +1: a tick may be under way when we subscribe
    try (FileChangeNotifier.Subscription s = notifier.onPoll(ticks::countDown)) {
      if (!ticks.await(RecordingSink.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("poll tick did not fire");
      }
    }
  }

  /** Descriptors of this process open on {@code file} (Linux /proc; skips the test elsewhere). */
  static long openDescriptors(Path file) throws IOException {
    Path fds = Paths.get("/proc/self/fd");
    assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
    String target = file.toRealPath().toString();
    try (Stream<Path> s = Files.list(fds)) {
      return s.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().startsWith(target);
        } catch (IOException e) {
          return false; // the descriptor of the listing itself, already closed
        }
      }).count();
    }
  }
}
