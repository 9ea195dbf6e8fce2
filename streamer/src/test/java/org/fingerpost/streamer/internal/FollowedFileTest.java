package org.fingerpost.streamer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On real files: what the end of the open file means after each kind of change at the path. */
class FollowedFileTest {
  @TempDir
  Path dir;

  private static String readAll(FollowedFile file) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(64);
    StringBuilder out = new StringBuilder();
    int n;
    while ((n = file.read(buffer.clear())) > 0) {
      out.append(new String(buffer.array(), 0, n, StandardCharsets.UTF_8));
    }
    return out.toString();
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void appendedBytesAreMoreThenNothingNewIsWait() throws IOException {
    Path log = write("log", "abc");
    FollowedFile file = FollowedFile.open(log, 0);
    assertEquals("abc", readAll(file));
    assertEquals(FollowedFile.AtEnd.WAIT, file.atEnd());
    Files.writeString(log, "def", StandardOpenOption.APPEND);
    assertEquals(FollowedFile.AtEnd.MORE, file.atEnd());
    assertEquals("def", readAll(file));
    assertEquals(6, file.position());
    file.close();
  }

  @Test
  void removedFileEndsAfterItsLastBytes() throws IOException {
    Path log = write("log", "abc");
    FollowedFile file = FollowedFile.open(log, 0);
    Files.delete(log);
    assertEquals(FollowedFile.AtEnd.MORE, file.atEnd(), "bytes still in the open file");
    assertEquals("abc", readAll(file));
    assertEquals(FollowedFile.AtEnd.GONE, file.atEnd());
    file.close();
  }

  @Test
  void truncatedFileIsReadAgainFromItsStart() throws IOException {
    Path log = write("log", "abcdef");
    FollowedFile file = FollowedFile.open(log, 0);
    readAll(file);
    Files.writeString(log, "xy", StandardOpenOption.TRUNCATE_EXISTING);
    assertEquals(FollowedFile.AtEnd.MORE, file.atEnd());
    assertEquals(0, file.position());
    assertEquals("xy", readAll(file));
    file.close();
  }

  @Test
  void replacedFileIsReadFromItsStartAfterTheOldOnesLastBytes() throws IOException {
    Path log = write("log", "old");
    FollowedFile file = FollowedFile.open(log, 0);
    Files.move(write("new", "new content"), log, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    assertEquals("old", readAll(file));
    assertEquals(FollowedFile.AtEnd.MORE, file.atEnd());
    assertEquals("new content", readAll(file));
    file.close();
  }

  @Test
  void offsetBeyondTheEndWaitsForTheLogToGrow() throws IOException {
    Path log = write("log", "ab");
    FollowedFile file = FollowedFile.open(log, 5);
    assertEquals("", readAll(file));
    assertEquals(FollowedFile.AtEnd.WAIT, file.atEnd(), "shorter than the offset: not truncated");
    Files.writeString(log, "cdefg", StandardOpenOption.APPEND);
    assertEquals("fg", readAll(file));
    file.close();
  }

  @Test
  void missingFileCannotBeOpened() {
    assertThrows(NoSuchFileException.class, () -> FollowedFile.open(dir.resolve("none"), 0));
  }

  @Test
  void noLinkBelowTheRootIsFollowedButTheRootMayBeOne() throws IOException {
    Path real = Files.createDirectories(dir.resolve("real/b/logs"));
    Files.writeString(real.resolve("log"), "abc");
    Path root = Files.createSymbolicLink(dir.resolve("root"), dir.resolve("real"));
    FollowedFile file = FollowedFile.open(root, Path.of("b/logs/log"), 0);
    assertEquals("abc", readAll(file));
    file.close();

    Files.createSymbolicLink(real.resolve("linked-file"), real.resolve("log"));
    Files.createSymbolicLink(dir.resolve("real/b/linked-dir"), real);
    ConfinedFiles.LinkRefused refused = assertThrows(ConfinedFiles.LinkRefused.class,
        () -> FollowedFile.open(root, Path.of("b/logs/linked-file"), 0));
    assertEquals(root.resolve("b/logs/linked-file"), refused.link());
    refused = assertThrows(ConfinedFiles.LinkRefused.class,
        () -> FollowedFile.open(root, Path.of("b/linked-dir/log"), 0));
    assertEquals(root.resolve("b/linked-dir"), refused.link());
  }

  @Test
  void aLogReplacedByALinkIsRefusedNotFollowed() throws IOException {
    Path log = write("log", "abc");
    Files.writeString(dir.resolve("secret"), "secret");
    FollowedFile file = FollowedFile.open(log, 0);
    assertEquals("abc", readAll(file));
    Path link = Files.createSymbolicLink(dir.resolve("link"), dir.resolve("secret"));
    Files.move(link, log, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    assertThrows(ConfinedFiles.LinkRefused.class, file::atEnd);
    file.close();
  }
}
