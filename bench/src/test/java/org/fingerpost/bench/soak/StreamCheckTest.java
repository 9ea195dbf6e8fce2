package org.fingerpost.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak's judge: what counts as lost, duplicated and corrupted, and where a client resumes. */
class StreamCheckTest {
  @TempDir Path jobDir;
  private BuildLog log;
  private StreamCheck check;

  @BeforeEach
  void tenLines() throws IOException {
    log = BuildLog.create(7, "zone-a", jobDir, 42);
    log.append(10, 0);
    check = new StreamCheck(log);
  }

  private String lines(long from, long to) {
    StringBuilder b = new StringBuilder();
    for (long s = from; s < to; s++) {
      b.append(log.line(s));
    }
    return b.toString();
  }

  @Test
  void theWholeLogInOddChunksIsCountedOnceAndNothingElse() {
    String text = lines(0, 10);
    for (int i = 0; i < text.length(); i += 7) {
      check.accept(text.substring(i, Math.min(text.length(), i + 7)));
    }
    check.finish(log.size());
    assertEquals(log.size(), check.position());
    assertEquals(0, check.lost() + check.duplicated() + check.corrupted());
  }

  @Test
  void aLineReceivedAgainIsDuplicated() {
    check.accept(lines(0, 3) + log.line(1) + lines(3, 10));
    check.finish(log.size());
    assertEquals(log.line(1).length(), check.duplicated());
    assertEquals(0, check.lost() + check.corrupted());
  }

  @Test
  void skippedLinesAreLostAndTheRestStillCounts() {
    check.accept(lines(0, 2) + lines(4, 10));
    check.finish(log.size());
    assertEquals(lines(2, 4).length(), check.lost());
    assertEquals(log.size(), check.position());
    assertEquals(0, check.duplicated() + check.corrupted());
  }

  @Test
  void anErrorTextInsideTheLogTextIsCorrupted() {
    String line = log.line(2);
    check.accept(lines(0, 2) + line.substring(0, 10) + "Internal streaming error" + line.substring(10) + lines(3, 10));
    check.finish(log.size());
    assertTrue(check.corrupted() > 0);
    assertEquals(0, check.lost() + check.duplicated());
  }

  @Test
  void aFingerConnectionEndingInAMessageResumesAtTheLastLine() {
    check.accept(lines(0, 3) + log.line(3).substring(0, 5) + "Internal streaming error");
    assertEquals("Internal streaming error", check.endOfFingerConnection());
    assertEquals(lines(0, 3).length(), check.position());
    check.accept(lines(3, 10));
    check.finish(log.size());
    assertEquals(0, check.lost() + check.duplicated() + check.corrupted());
  }

  @Test
  void aLineThatIsNotTheLogIsCorrupted() {
    check.accept(lines(0, 3) + "garbage\n" + lines(4, 10));
    check.finish(log.size());
    assertEquals("garbage\n".length(), check.corrupted());
    assertEquals(0, check.lost() + check.duplicated());
  }

  @Test
  void aFingerTailLongerThanAMessageIsCorrupted() {
    check.accept(lines(0, 3) + "x".repeat(StreamCheck.MAX_MESSAGE + 1));
    assertNull(check.endOfFingerConnection());
    assertEquals(StreamCheck.MAX_MESSAGE + 1, check.corrupted());
  }

  @Test
  void aWebsocketResumesAfterThePartOfALineItHas() {
    check.accept(lines(0, 3) + log.line(3).substring(0, 5));
    check.endOfWebsocketConnection();
    assertEquals(lines(0, 3).length() + 5, check.resumeOffset());
    check.accept(log.line(3).substring(5) + lines(4, 10));
    check.finish(log.size());
    assertEquals(0, check.lost() + check.duplicated() + check.corrupted());
  }

  @Test
  void theFileIsCheckedAgainstTheLinesWritten() throws IOException {
    assertEquals(0, log.checkFile());
    try (RandomAccessFile f = new RandomAccessFile(log.file.toFile(), "rw")) {
      f.seek(20);
      f.write('#');
    }
    assertEquals(1, log.checkFile());
  }
}
