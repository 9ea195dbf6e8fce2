package org.fingerpost.streamer.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.fingerpost.streamer.internal.TestFiles.append;
import static org.fingerpost.streamer.internal.TestFiles.awaitPollTicks;
import static org.fingerpost.streamer.internal.TestFiles.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.fingerpost.testing.RecordingSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
// try-with-resources below only closes subscriptions and followers: "try" lint is noise.
@SuppressWarnings("try")
class LogFollowerTest {
  private static final int CHUNK = LogFollower.DEFAULT_CHUNK_BYTES;

  @TempDir Path dir;
  private Path file;
  private FileChangeNotifier notifier;
  private ExecutorService pool;

  @BeforeEach
  void setUp() throws IOException {
    Path logs = Files.createDirectories(dir.resolve("work/logs"));
    file = logs.resolve("job-output.txt");
    notifier = FileChangeNotifier.start(FileChangeNotifier.DEFAULT_POLL_INTERVAL);
    pool = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    notifier.close();
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  private LogFollower follow(RecordingSink sink) throws IOException {
    return LogFollower.open(file, sink, notifier, pool, CHUNK);
  }

  private static void assertClean(RecordingSink sink) {
    assertNull(sink.violation.get(), sink.violation.get());
  }

  @Test
  void fileWrittenInPiecesIsDeliveredByteIdentical() throws Exception {
    byte[] all = new byte[3 * CHUNK + 123];
    new Random(1).nextBytes(all);
    append(file, java.util.Arrays.copyOfRange(all, 0, 10));
    RecordingSink sink = RecordingSink.holding();
    try (LogFollower f = follow(sink)) {
      int at = 10;
      // Uneven pieces, each written only after the previous one reached the sink.
      int[] pieces = {1, 7, CHUNK - 3, 2 * CHUNK, 100, 8};
      for (int piece : pieces) {
        sink.pumpUntil(at);
        int len = Math.min(piece, all.length - at);
        append(file, java.util.Arrays.copyOfRange(all, at, at + len));
        at += len;
      }
      assertEquals(all.length, at);
      Files.delete(file);
      sink.pumpToEnd();
      assertArrayEquals(all, sink.bytes());
      assertTrue(sink.isFinished());
      assertNull(sink.failed.getNow(null));
      assertClean(sink);
      assertTrue(sink.maxChunk.get() <= CHUNK);
    }
  }

  @Test
  void fiftyMegabyteFileWithSynchronousNext() throws Exception {
    byte[] all = new byte[50 * 1024 * 1024];
    new Random(50).nextBytes(all);
    Files.write(file, all);
    // A sink that runs next inside onData: must not recurse (800 chunks) nor reorder.
    RecordingSink sink = new RecordingSink();
    try (LogFollower f = follow(sink)) {
      sink.awaitBytes(all.length);
      Files.delete(file);
      sink.awaitEnd();
      assertArrayEquals(all, sink.bytes());
      assertEquals(CHUNK, sink.maxChunk.get());
      assertEquals(all.length / CHUNK, sink.dataCalls.get());
      assertClean(sink);
    }
  }

  @Test
  void invalidUtf8BytesPassUnchanged() throws Exception {
    byte[] bytes = {(byte) 0xff, (byte) 0xfe, 'a', (byte) 0xc3, 0x28, 0, (byte) 0xe2, (byte) 0x82, '\r',
        '\n', (byte) 0xf0, (byte) 0x9f, (byte) 0x98};
    Files.write(file, bytes);
    RecordingSink sink = new RecordingSink();
    try (LogFollower f = follow(sink)) {
      sink.awaitBytes(bytes.length);
      Files.delete(file);
      sink.awaitEnd();
      assertArrayEquals(bytes, sink.bytes());
    }
  }

  @Test
  void appendedBytesArriveWhileStreaming() throws Exception {
    byte[] first = "first line\n".getBytes(UTF_8);
    byte[] second = "second line\n".getBytes(UTF_8);
    byte[] third = new byte[2 * CHUNK + 17];
    new Random(3).nextBytes(third);
    Files.write(file, first);
    RecordingSink sink = new RecordingSink();
    try (LogFollower f = follow(sink)) {
      sink.awaitBytes(first.length);
      append(file, second);
      sink.awaitBytes(first.length + second.length);
      append(file, third);
      sink.awaitBytes(first.length + second.length + third.length);
      assertFalse(sink.isFinished());
      Files.delete(file);
      sink.awaitEnd();
      assertArrayEquals(concat(first, second, third), sink.bytes());
      assertClean(sink);
    }
  }

  @Test
  void truncatedFileIsReReadFromStart() throws Exception {
    byte[] before = "a long first version of the log\n".getBytes(UTF_8);
    byte[] after = "short\n".getBytes(UTF_8);
    Files.write(file, before);
    RecordingSink sink = new RecordingSink();
    try (LogFollower f = follow(sink)) {
      sink.awaitBytes(before.length);
      Files.write(file, after, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
      sink.awaitBytes(before.length + after.length);
      Files.delete(file);
      sink.awaitEnd();
      assertArrayEquals(concat(before, after), sink.bytes());
    }
  }

  @Test
  void replacedFileIsReReadFromStart() throws Exception {
    byte[] before = "old\n".getBytes(UTF_8);
    // Longer than the old file: only the changed identity (inode) can reveal the replacement.
    byte[] after = "a new file, longer than the old one\n".getBytes(UTF_8);
    Files.write(file, before);
    RecordingSink sink = new RecordingSink();
    try (LogFollower f = follow(sink)) {
      sink.awaitBytes(before.length);
      Path tmp = file.resolveSibling("job-output.txt.tmp");
      Files.write(tmp, after);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      sink.awaitBytes(before.length + after.length);
      byte[] more = "appended to the new file\n".getBytes(UTF_8);
      append(file, more);
      sink.awaitBytes(before.length + after.length + more.length);
      Files.delete(file);
      sink.awaitEnd();
      assertArrayEquals(concat(before, after, more), sink.bytes());
    }
  }

  @Test
  void removalEndsAfterAllBytes() throws Exception {
    byte[] head = new byte[CHUNK + 1];
    new Random(7).nextBytes(head);
    byte[] tail = "last words\n".getBytes(UTF_8);
    Files.write(file, head);
    RecordingSink sink = RecordingSink.holding();
    try (LogFollower f = follow(sink)) {
      sink.awaitDataCalls(1); // the first chunk is out, the sink holds it
      append(file, tail);
      Files.delete(file); // removed while bytes are still unsent
      Files.delete(file.getParent());
      sink.pumpToEnd();
      assertArrayEquals(concat(head, tail), sink.bytes());
      assertNull(sink.failed.getNow(null));
      assertClean(sink);
      f.released().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void slowSinkNeverGetsDataBeforeNext() throws Exception {
    byte[] all = new byte[5 * CHUNK];
    new Random(11).nextBytes(all);
    Files.write(file, all);
    RecordingSink sink = RecordingSink.holding();
    try (LogFollower f = follow(sink)) {
      for (int i = 1; i <= 5; i++) {
        sink.awaitDataCalls(i);
        // Give the follower every reason to deliver more: a change event and two poll ticks.
        append(file, new byte[0]);
        awaitPollTicks(notifier, 2);
        assertEquals(i, sink.dataCalls.get(), "second onData before next");
        assertEquals(1, sink.pendingNextCount());
        sink.runNext();
      }
      Files.delete(file);
      sink.pumpToEnd();
      assertArrayEquals(all, sink.bytes());
      assertClean(sink);
    }
  }

  @Test
  void closeStopsDeliveryAndReleasesTheFile() throws Exception {
    byte[] all = new byte[4 * CHUNK];
    new Random(13).nextBytes(all);
    Files.write(file, all);
    long descriptorsBefore = TestFiles.openDescriptors(file);
    RecordingSink sink = RecordingSink.holding();
    LogFollower f = follow(sink);
    sink.awaitDataCalls(1);
    assertEquals(descriptorsBefore + 1, TestFiles.openDescriptors(file));
    f.close();
    f.released().get(10, TimeUnit.SECONDS);
    assertEquals(descriptorsBefore, TestFiles.openDescriptors(file));
    sink.runNext(); // too late: must not bring more data
    append(file, "more".getBytes(UTF_8));
    awaitPollTicks(notifier, 2);
    assertEquals(1, sink.dataCalls.get());
    assertFalse(sink.isFinished(), "no onEnd/onError after close");
    assertEquals(0, notifier.watchedDirectories(), "subscription released");
    f.close(); // idempotent
    assertClean(sink);
  }

  @Test
  void closeWhileParkedReleasesTheFile() throws Exception {
    Files.write(file, "x".getBytes(UTF_8));
    RecordingSink sink = new RecordingSink();
    LogFollower f = follow(sink);
    sink.awaitBytes(1);
    f.close();
    f.released().get(10, TimeUnit.SECONDS);
    assertFalse(sink.isFinished());
  }

  @Test
  void readersOfOneFileAreIndependent() throws Exception {
    byte[] all = new byte[3 * CHUNK + 5];
    new Random(17).nextBytes(all);
    Files.write(file, all);
    RecordingSink slow = RecordingSink.holding();
    RecordingSink fast = new RecordingSink();
    try (LogFollower s = follow(slow); LogFollower q = follow(fast)) {
      slow.awaitDataCalls(1);
      fast.awaitBytes(all.length);
      Files.delete(file);
      fast.awaitEnd(); // the fast reader is done while the slow one still holds its first chunk
      assertEquals(1, slow.dataCalls.get());
      assertFalse(slow.isFinished());
      slow.pumpToEnd();
      assertArrayEquals(all, fast.bytes());
      assertArrayEquals(all, slow.bytes());
      assertClean(slow);
      assertClean(fast);
    }
  }

  @Test
  void missingFileFailsAtOnce() {
    RecordingSink sink = new RecordingSink();
    assertThrows(NoSuchFileException.class, () -> follow(sink));
    assertEquals(0, sink.dataCalls.get());
    assertEquals(0, notifier.watchedDirectories());
  }

  @Test
  void emptyFileStreamsNothingThenEnds() throws Exception {
    Files.write(file, new byte[0]);
    RecordingSink sink = new RecordingSink();
    try (LogFollower f = follow(sink)) {
      awaitPollTicks(notifier, 1);
      Files.delete(file);
      sink.awaitEnd();
      assertEquals(0, sink.size());
    }
  }
}
