package org.fingerpost.streamer.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * Opens a file below a root directory (the job directory) without following any symbolic link below
 * that root (issue 15, finding 4): a build's log is read only when every element of {@code
 * <id>/work/logs/job-output.txt} is a real directory or file, so its real path lies under the root's
 * real path. The root itself may be a link (a symlinked {@code job_dir} is fine). A link below the
 * root is refused even when it points back inside the root: Zuul never makes one, and following it
 * would need a second, racy check of where it leads.
 *
 * <p>Where the platform has a {@link SecureDirectoryStream} (Linux, macOS), the open walks the elements
 * relative to the open parent directory with {@link LinkOption#NOFOLLOW_LINKS} ({@code openat} with
 * {@code O_NOFOLLOW}), so a directory swapped for a link between the check and the open is refused
 * too; elsewhere the last element is opened with {@code NOFOLLOW_LINKS} after the check.
 *
 * <p><b>Threads.</b> Stateless; thread-safe. The caller owns the returned channel.
 */
final class ConfinedFiles {

  /** An element below the root is a symbolic link. The message names the link, never its target. */
  static final class LinkRefused extends FileSystemException {
    private static final long serialVersionUID = 1L;

    LinkRefused(Path link) {
      super(link.toString(), null, "symbolic link below the job directory; not followed");
    }

    /** The link (below the root) that was refused. */
    Path link() {
      return Path.of(getFile());
    }
  }

  private ConfinedFiles() {}

  /**
   * The first element of {@code root/relative}, walking down from the root, that is a symbolic link;
   * null if there is none up to the first element that does not exist.
   */
  static Path firstLink(Path root, Path relative) throws IOException {
    Path p = root;
    for (Path name : relative) {
      p = p.resolve(name);
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException | NotDirectoryException e) {
        return null;
      }
      if (attrs.isSymbolicLink()) {
        return p;
      }
    }
    return null;
  }

  /**
   * Opens {@code root/relative} for reading, following no link below {@code root}.
   *
   * @throws LinkRefused if an element below the root is a symbolic link
   * @throws NoSuchFileException if an element does not exist
   */
  static FileChannel open(Path root, Path relative) throws IOException {
    try {
      return openNoFollow(root, relative);
    } catch (LinkRefused | NoSuchFileException e) {
      throw e;
    } catch (FileSystemException e) {
      // ELOOP from O_NOFOLLOW carries no type of its own: name the link if that is what it was.
      Path link = firstLink(root, relative);
      throw link != null ? new LinkRefused(link) : e;
    }
  }

  private static FileChannel openNoFollow(Path root, Path relative) throws IOException {
    Path link = firstLink(root, relative);
    if (link != null) {
      throw new LinkRefused(link);
    }
    try (DirectoryStream<Path> top = Files.newDirectoryStream(root)) {
      if (top instanceof SecureDirectoryStream<Path> secure) {
        return openBelow(secure, relative, 0);
      }
    }
    return FileChannel.open(root.resolve(relative), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
  }

  private static FileChannel openBelow(SecureDirectoryStream<Path> dir, Path relative, int index)
      throws IOException {
    Path name = relative.getName(index);
    if (index == relative.getNameCount() - 1) {
      SeekableByteChannel ch = dir.newByteChannel(name,
          Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
      if (ch instanceof FileChannel file) {
        return file;
      }
      ch.close();
      throw new IOException("Not a file channel: " + name);
    }
    try (SecureDirectoryStream<Path> sub = dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
      return openBelow(sub, relative, index + 1);
    }
  }
}
