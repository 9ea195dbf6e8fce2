package org.fingerpost.streamer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fingerpost.transport.LogSink;
import org.fingerpost.transport.LogStream;
import org.fingerpost.transport.StreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one growing log file and pushes it into a {@link LogSink}: bytes from 0, then appended bytes
 * as they arrive, until the file is removed (docs/design.md 3.1).
 *
 * <p><b>Threads.</b> No thread belongs to a follower. Its work runs as short tasks on a shared {@code
 * executor} through a {@link SerialRunner} (never two at once): one task reads one chunk and hands it
 * to the sink, then the follower does nothing until the sink runs {@code next}. At end of file the
 * follower parks (it simply schedules nothing) until the {@link FileChangeNotifier} reports a change
 * in the file's directory or its poll tick fires; either re-arms it. Sink callbacks therefore arrive on
 * executor threads, serially.
 *
 * <p><b>Backpressure.</b> Exactly one chunk is outstanding at a time: the next {@link LogSink#onData}
 * comes only after the sink ran the previous {@code next}. The chunk is a view of a direct buffer of
 * {@code chunkBytes} owned by this follower and reused for the next read, so memory per stream is
 * bounded by one chunk.
 *
 * <p><b>File changes.</b> At end of file the follower checks the path: a file smaller than what was
 * sent (truncated) or a different file ({@link BasicFileAttributes#fileKey()} changed: replaced, for
 * example by rename) is re-read from its start; a path that no longer exists ends the stream with
 * {@link LogSink#onEnd()} once every byte of the open file was sent. A read failure ends it with
 * {@link LogSink#onError} (wire text {@code Internal streaming error}). A file truncated and then
 * rewritten beyond the sent size before the follower looks again keeps its inode and size, so it
 * is taken for growth (as in Zuul); writers that rewrite logs should replace them instead.
 *
 * <p><b>Ownership.</b> The follower holds one open {@link FileChannel} and two notifier
 * subscriptions from {@link #create} (or {@link #open}) until the stream ends or {@link #close()}
 * is called, whichever is first; it then releases them on its next task (promptly: closing signals
 * the task). The caller owns the follower and must close it when its client goes away.
 */
public final class LogFollower implements LogStream {
  private static final Logger LOG = LoggerFactory.getLogger(LogFollower.class);

  /** Default size of one read and of the chunk handed to the sink (bytes): 64 KiB. */
  public static final int DEFAULT_CHUNK_BYTES = 64 * 1024;

  /** Smallest accepted chunk size (bytes); anything smaller only multiplies callbacks. */
  public static final int MIN_CHUNK_BYTES = 512;

  /** Largest accepted chunk size (bytes): the direct buffer is allocated per stream. */
  public static final int MAX_CHUNK_BYTES = 16 * 1024 * 1024;

  /**
   * Re-checks (truncation, replacement, growth) in one task before it yields the pool thread and
   * reschedules itself (count); only a file system reporting inconsistent sizes reaches it.
   */
  private static final int MAX_CHECKS_PER_STEP = 8;

  private final Path file;
  private final LogSink sink;
  private final FileChangeNotifier notifier;
  private final SerialRunner runner;
  private final CompletableFuture<Void> released = new CompletableFuture<>();

  // Touched only by the serial task (ordered by SerialRunner), so plain fields suffice.
  private final ByteBuffer buffer;
  private final FollowedFile open;
  private boolean done;
  private FileChangeNotifier.Subscription changes;
  private FileChangeNotifier.Subscription polls;

  // Written from other threads (close, next, the notifier).
  private volatile boolean closed;
  private volatile boolean awaitingNext;
  /** True while the task may be at end of file; wake-ups only signal then, to keep idle ticks cheap. */
  private volatile boolean parked;

  private LogFollower(Path file, LogSink sink, FileChangeNotifier notifier, Executor executor,
      int chunkBytes, FollowedFile opened) {
    this.file = file;
    this.sink = sink;
    this.notifier = notifier;
    this.runner = new SerialRunner(executor, this::step, "log follower of " + file);
    this.buffer = ByteBuffer.allocateDirect(chunkBytes);
    this.open = opened;
  }

  /**
   * Opens {@code file} and starts streaming it into {@code sink}; returns at once. Same as {@link
   * #create} followed by {@link #start()}.
   *
   * @throws NoSuchFileException if the file does not exist (nothing was sent to the sink)
   * @throws IOException if it cannot be opened (nothing was sent to the sink)
   */
  public static LogFollower open(Path file, LogSink sink, FileChangeNotifier notifier, Executor executor,
      int chunkBytes) throws IOException {
    LogFollower f = create(file, sink, notifier, executor, chunkBytes);
    f.start();
    return f;
  }

  /**
   * Opens {@code file} for streaming into {@code sink} but sends nothing until {@link #start()}, so
   * the caller can first record the follower and hook its cleanup.
   *
   * @param file the log file; it must exist now
   * @param sink receives the bytes; see the class comment for threads and ordering
   * @param notifier shared change notifications and poll tick
   * @param executor shared pool the reads run on; must not be a direct (caller-runs) executor
   * @param chunkBytes size of one read, between {@link #MIN_CHUNK_BYTES} and {@link #MAX_CHUNK_BYTES}
   * @return the follower, holding the open file; start or close it
   * @throws NoSuchFileException if the file does not exist
   * @throws IOException if it cannot be opened
   */
  public static LogFollower create(Path file, LogSink sink, FileChangeNotifier notifier,
      Executor executor, int chunkBytes) throws IOException {
    Path absolute = file.toAbsolutePath();
    return create(absolute.getParent(), absolute.getFileName(), sink, notifier, executor, chunkBytes, 0);
  }

  /**
   * As {@link #create(Path, LogSink, FileChangeNotifier, Executor, int)} for the file {@code
   * root/relative}, following no symbolic link below {@code root} (also when the file is reopened;
   * see {@link ConfinedFiles}), and starting at byte {@code offset} of the log (the {@code offset}
   * capability, docs/design.md 3.1). An offset beyond the end of the file waits for the file to grow
   * that far; a file later truncated or replaced is re-read from 0.
   *
   * @param offset first byte to send, at least 0
   * @throws ConfinedFiles.LinkRefused if an element below {@code root} is a symbolic link
   */
  public static LogFollower create(Path root, Path relative, LogSink sink, FileChangeNotifier notifier,
      Executor executor, int chunkBytes, long offset) throws IOException {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(executor, "executor");
    if (chunkBytes < MIN_CHUNK_BYTES || chunkBytes > MAX_CHUNK_BYTES) {
      throw new IllegalArgumentException("chunkBytes out of range [" + MIN_CHUNK_BYTES + ", "
          + MAX_CHUNK_BYTES + "]: " + chunkBytes);
    }
    FollowedFile opened = FollowedFile.open(root, relative, offset);
    Path file = root.resolve(relative);
    LogFollower f;
    try {
      f = new LogFollower(file, sink, notifier, executor, chunkBytes, opened);
      Path dir = file.toAbsolutePath().getParent();
      // Subscribe before the first read, so a change after that read cannot be missed.
      f.changes = notifier.onChange(dir, f::wake);
      f.polls = notifier.onPoll(f::wake);
    } catch (RuntimeException | Error e) {
      opened.close(); // nobody else will: the follower never started
      throw e;
    }
    return f;
  }

  /** Starts sending (the first read runs on the executor); call once. Non-blocking. */
  public void start() {
    LOG.debug("Following {}", file);
    runner.signal();
  }

  /** Stops following; idempotent, thread-safe, non-blocking. The file is released by the next task. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      runner.signal();
    }
  }

  /** Completes once the file and subscriptions are released (after the end, an error or close). */
  public CompletableFuture<Void> released() {
    return released;
  }

  private void wake() {
    if (parked) {
      runner.signal();
    }
  }

  /** One serial task: deliver at most one chunk, or detect a change, the end, or park. */
  private void step() {
    if (done) {
      return;
    }
    if (closed) {
      release();
      return;
    }
    if (awaitingNext) {
      return;
    }
    try {
      for (int check = 0; check < MAX_CHECKS_PER_STEP; check++) {
        // Set before reading: a change notified from here on signals us again (no lost wake-up).
        parked = true;
        buffer.clear();
        int n = open.read(buffer);
        if (n > 0) {
          parked = false;
          buffer.flip();
          deliver();
          return;
        }
        FollowedFile.AtEnd atEnd = open.atEnd();
        if (atEnd == FollowedFile.AtEnd.GONE) {
          finish(null);
          return;
        }
        if (atEnd == FollowedFile.AtEnd.WAIT) {
          return; // parked: a change notification or the poll tick re-arms us
        }
      }
      runner.signal(); // still changing: continue on a later turn
    } catch (IOException e) {
      if (closed) {
        release();
        return;
      }
      LOG.warn("Reading {} failed at byte {}", file, open.position(), e);
      finish(StreamException.internal("Reading " + file + " failed at byte " + open.position(), e));
    }
  }

  private void deliver() {
    awaitingNext = true;
    if (closed) {
      // A close raced with our read: the sink asked for nothing more.
      release();
      return;
    }
    try {
      sink.onData(buffer, new Next());
    } catch (RuntimeException e) {
      LOG.warn("Sink failed on data from {}; stopping", file, e);
      closed = true;
      release();
    }
  }

  private void finish(StreamException error) {
    release();
    if (closed) {
      return; // the owner stopped listening: no callback after close
    }
    try {
      if (error == null) {
        LOG.debug("{} removed; stream ended after {} bytes", file, open.position());
        sink.onEnd();
      } else {
        sink.onError(error);
      }
    } catch (RuntimeException e) {
      LOG.warn("Sink failed at the end of {}", file, e);
    }
  }

  private void release() {
    if (done) {
      return;
    }
    done = true;
    parked = false;
    if (changes != null) {
      changes.close();
    }
    if (polls != null) {
      polls.close();
    }
    open.close();
    released.complete(null);
  }

  /** The sink's {@code next}: runs once, re-arms the follower. */
  private final class Next implements Runnable {
    private final AtomicBoolean ran = new AtomicBoolean();

    @Override
    public void run() {
      if (ran.compareAndSet(false, true)) {
        awaitingNext = false;
        runner.signal();
      }
    }
  }
}
