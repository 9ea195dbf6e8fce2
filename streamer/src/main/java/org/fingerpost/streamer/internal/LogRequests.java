package org.fingerpost.streamer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.fingerpost.transport.StreamException;
import org.fingerpost.transport.finger.FingerExchange;
import org.fingerpost.transport.finger.FingerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streamer's answer to finger requests and the log streams it serves now: a request for a build
 * whose log exists gets a {@link LogFollower}, tracked until it released its file; otherwise the
 * request gets {@code Build ID <id> not found}, {@code Log not found for build ID <id>} or {@code
 * Internal streaming error} (the protocol of {@link org.fingerpost.streamer.Streamer}).
 *
 * <p><b>Threads.</b> Thread-safe. {@link #handle} runs on a finger server pool thread and is quick (a
 * few file system calls). The followers read on the shared {@code readPool} and are woken by the
 * shared {@link FileChangeNotifier}; neither is owned here.
 */
public final class LogRequests {
  private static final Logger LOG = LoggerFactory.getLogger(LogRequests.class);

  private final Set<LogFollower> streams = ConcurrentHashMap.newKeySet();
  /** Notified whenever a stream is released; see {@link #awaitNone}. */
  private final Object streamReleased = new Object();
  private final Path jobDir;
  private final int chunkBytes;
  private volatile FileChangeNotifier notifier;
  private volatile Executor readPool;

  public LogRequests(Path jobDir, int chunkBytes) {
    this.jobDir = jobDir;
    this.chunkBytes = chunkBytes;
  }

  /** What the followers use; set before the finger server accepts its first request. */
  public void serveWith(FileChangeNotifier notifier, Executor readPool) {
    this.notifier = notifier;
    this.readPool = readPool;
  }

  /** Serves one valid request; see the class comment. */
  public void handle(FingerRequest request, FingerExchange exchange) {
    String id = request.buildId();
    if (!Files.isDirectory(BuildPaths.buildDir(jobDir, id))) {
      LOG.debug("Build {} not found (requested by {})", id, exchange.remoteAddress());
      exchange.fail("Build ID " + id + " not found");
      return;
    }
    Path log = BuildPaths.logFile(jobDir, id);
    if (!Files.isRegularFile(log)) {
      LOG.debug("Log of build {} not found (requested by {})", id, exchange.remoteAddress());
      exchange.fail(logNotFound(id));
      return;
    }
    LogFollower follower;
    try {
      follower = LogFollower.create(log, exchange, notifier, readPool, chunkBytes, request.offset());
    } catch (NoSuchFileException | NotDirectoryException e) {
      exchange.fail(logNotFound(id)); // removed since the check above
      return;
    } catch (IOException e) {
      LOG.warn("Cannot open the log of build {} ({}): {}", id, log, e.toString());
      exchange.onError(StreamException.internal("Cannot open " + log, e));
      return;
    }
    streams.add(follower);
    follower.released().whenComplete((ok, err) -> {
      streams.remove(follower);
      synchronized (streamReleased) {
        streamReleased.notifyAll();
      }
    });
    // The client's going away (or the server stopping) stops the follower and releases the file.
    exchange.onClose(follower::close);
    LOG.debug("Streaming build {} to {}", id, exchange.remoteAddress());
    // Only now: the stream is counted and its cleanup hooked before the first byte can flow.
    follower.start();
  }

  private static String logNotFound(String id) {
    return "Log not found for build ID " + id;
  }

  /** Streams open now (each holds one log file open). */
  public int count() {
    return streams.size();
  }

  /**
   * Waits until no stream is open (every follower released its file), at most {@code timeout}.
   *
   * @return whether none is open
   */
  public boolean awaitNone(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (streamReleased) {
      while (!streams.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(streamReleased, left);
      }
      return true;
    }
  }

  /** Closes every stream still open (normally done already through their exchanges). */
  public void closeAll() {
    for (LogFollower f : streams) {
      f.close();
    }
  }
}
