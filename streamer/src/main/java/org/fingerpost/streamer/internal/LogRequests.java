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
 * Internal streaming error} (the protocol of {@link org.fingerpost.streamer.Streamer}). A log path
 * with a symbolic link below the job directory is answered as a build that does not exist, and
 * logged at WARN once per build ({@link ConfinedFiles}).
 *
 * <p><b>Threads.</b> Thread-safe. {@link #handle} runs on a finger server pool thread and is quick (a
 * few file system calls). The followers read on the shared {@code readPool} and are woken by the
 * shared {@link FileChangeNotifier}; neither is owned here.
 */
public final class LogRequests {
  private static final Logger LOG = LoggerFactory.getLogger(LogRequests.class);

  /**
   * Builds refused for a symbolic link that were logged at WARN (count): each is warned about once,
   * and the set is emptied when it reaches this size, to bound its memory.
   */
  static final int MAX_WARNED_BUILDS = 1024;

  private final Set<LogFollower> streams = ConcurrentHashMap.newKeySet();
  private final Set<String> warnedBuilds = ConcurrentHashMap.newKeySet();
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
    Path log = BuildPaths.logFile(jobDir, id);
    Path relative = jobDir.relativize(log);
    if (refusedLink(id, relative, exchange)) {
      return;
    }
    if (!Files.isDirectory(BuildPaths.buildDir(jobDir, id))) {
      LOG.debug("Build {} not found (requested by {})", id, exchange.remoteAddress());
      exchange.fail(buildNotFound(id));
      return;
    }
    if (!Files.isRegularFile(log)) {
      LOG.debug("Log of build {} not found (requested by {})", id, exchange.remoteAddress());
      exchange.fail(logNotFound(id));
      return;
    }
    LogFollower follower;
    try {
      follower = LogFollower.create(jobDir, relative, exchange, notifier, readPool, chunkBytes,
          request.offset());
    } catch (ConfinedFiles.LinkRefused e) {
      refuse(id, e.link(), exchange); // a link put in place since the check above
      return;
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

  /**
   * Refuses the request when an element of the build's log path below the job directory is a
   * symbolic link (see {@link ConfinedFiles}): true when refused.
   */
  private boolean refusedLink(String id, Path relative, FingerExchange exchange) {
    Path link;
    try {
      link = ConfinedFiles.firstLink(jobDir, relative);
    } catch (IOException e) {
      link = null; // not readable: the checks that follow answer it
    }
    if (link == null) {
      return false;
    }
    refuse(id, link, exchange);
    return true;
  }

  /** Answers as for an unknown build, so the client learns nothing of the link or its target. */
  private void refuse(String id, Path link, FingerExchange exchange) {
    if (warnedBuilds.size() >= MAX_WARNED_BUILDS) {
      warnedBuilds.clear(); // bounded memory; a build may then be warned about once more
    }
    if (warnedBuilds.add(id)) {
      LOG.warn("Refusing build {} (requested by {}): {} is a symbolic link; logs are served only from"
          + " real files below {} (further requests for this build are refused without this line)",
          id, exchange.remoteAddress(), link, jobDir);
    } else {
      LOG.debug("Refusing build {} (requested by {}): {} is a symbolic link", id,
          exchange.remoteAddress(), link);
    }
    exchange.fail(buildNotFound(id));
  }

  private static String buildNotFound(String id) {
    return "Build ID " + id + " not found";
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
