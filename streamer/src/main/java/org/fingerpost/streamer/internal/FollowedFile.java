package org.fingerpost.streamer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log file a {@link LogFollower} reads: the open channel, the identity of the file it holds and
 * the read position, and what happened at the path when a read finds the end: the file was removed
 * (after its last bytes), replaced (the new one is read from its start, after the old one's last
 * bytes), truncated (re-read from its start), appended to, or nothing yet.
 *
 * <p><b>Threads.</b> Not thread-safe: used by its follower's serial task only. Owns the channel until
 * {@link #close}.
 */
final class FollowedFile {
  private static final Logger LOG = LoggerFactory.getLogger(FollowedFile.class);

  /** Attempts to open a file whose path keeps being replaced while we open it (count). */
  private static final int MAX_OPEN_ATTEMPTS = 3;

  /** What the end of the open file means. */
  enum AtEnd {
    /** The path is gone and every byte of the file was read: the log ended. */
    GONE,
    /** There is more to read now (appended, or a truncated or replaced file to re-read). */
    MORE,
    /** Nothing new yet (or the log is still shorter than the requested offset): wait for a change. */
    WAIT
  }

  private final Path root;
  private final Path relative;
  private final Path path;
  private FileChannel channel;
  private Object fileKey;
  private long position;
  /** True until the file first reaches the requested start offset: a shorter file is not truncated yet. */
  private boolean beforeStart;

  private FollowedFile(Path root, Path relative, FileChannel channel, Object fileKey, long offset) {
    this.root = root;
    this.relative = relative;
    this.path = root.resolve(relative);
    this.channel = channel;
    this.fileKey = fileKey;
    this.position = offset;
    this.beforeStart = offset > 0;
  }

  /**
   * Opens {@code path} to be read from byte {@code offset}; a symbolic link at the path is refused.
   *
   * @throws NoSuchFileException if it does not exist
   */
  static FollowedFile open(Path path, long offset) throws IOException {
    Path absolute = path.toAbsolutePath();
    return open(absolute.getParent(), absolute.getFileName(), offset);
  }

  /**
   * Opens {@code root/relative} to be read from byte {@code offset}, now and whenever it is
   * reopened, following no symbolic link below {@code root} ({@link ConfinedFiles}).
   *
   * @throws NoSuchFileException if it does not exist
   * @throws ConfinedFiles.LinkRefused if an element below {@code root} is a symbolic link
   */
  static FollowedFile open(Path root, Path relative, long offset) throws IOException {
    Path path = root.resolve(relative);
    for (int attempt = 1; ; attempt++) {
      // Java cannot fstat a channel: compare the path's identity before and after opening, so the
      // key we keep is the one of the file we actually hold.
      Object before = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      FileChannel ch = ConfinedFiles.open(root, relative);
      Object after;
      try {
        after = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      } catch (IOException e) {
        ch.close();
        throw e;
      }
      if (Objects.equals(before, after) || attempt >= MAX_OPEN_ATTEMPTS) {
        return new FollowedFile(root, relative, ch, after, offset);
      }
      ch.close();
    }
  }

  /** The next byte to read. */
  long position() {
    return position;
  }

  /** Reads at the position into {@code buffer} and advances; returns the byte count (0 or -1: end). */
  int read(ByteBuffer buffer) throws IOException {
    int n = channel.read(buffer, position);
    if (n > 0) {
      beforeStart = false;
      position += n;
    }
    return n;
  }

  /** After a read found the end of the open file: has the path changed under us? */
  AtEnd atEnd() throws IOException {
    BasicFileAttributes attrs = attributes();
    if (attrs == null) {
      // Gone. Bytes appended between our read and the removal are still in the open file.
      return channel.size() > position ? AtEnd.MORE : AtEnd.GONE;
    }
    Object key = attrs.fileKey();
    if (key != null && fileKey != null && !key.equals(fileKey)) {
      if (channel.size() > position) {
        return AtEnd.MORE; // finish the old file first: its last bytes belong before the new content
      }
      if (reopen()) {
        LOG.debug("{} was replaced; re-reading from its start", path);
      } // else vanished meanwhile: the next round sees it gone
      return AtEnd.MORE;
    }
    long size = channel.size();
    if (size < position && beforeStart) {
      return AtEnd.WAIT; // until the log grows to the requested offset
    }
    beforeStart = false;
    if (size < position) {
      LOG.debug("{} was truncated to {} bytes after {} were sent; re-reading from its start", path,
          size, position);
      position = 0;
      return AtEnd.MORE;
    }
    return size > position ? AtEnd.MORE : AtEnd.WAIT; // appended after our read, or nothing new
  }

  /** Releases the file. */
  void close() {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("Closing {} failed", path, e);
    }
  }

  /** The path's attributes, or null when it no longer exists. */
  private BasicFileAttributes attributes() throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return null;
    }
  }

  /** Switches to the file now at the path; false if it vanished. */
  private boolean reopen() throws IOException {
    FollowedFile next;
    try {
      next = open(root, relative, 0); // a link put in its place is refused (an error, not an end)
    } catch (NoSuchFileException | NotDirectoryException e) {
      return false;
    }
    channel.close();
    channel = next.channel;
    fileKey = next.fileKey;
    position = 0;
    beforeStart = false;
    return true;
  }
}
