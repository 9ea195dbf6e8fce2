package org.fingerpost.streamer.internal;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where an executor keeps a build's log (docs/design.md 1): {@code <job_dir>/<build-uuid>/work/logs/job-output.txt}.
 * Pure functions; thread-safe.
 */
public final class BuildPaths {

  /** A build id as Zuul writes it (uuid4 hex); nothing else ever becomes a path (docs/design.md 3.1). */
  public static final Pattern BUILD_ID = Pattern.compile("[0-9A-Fa-f]+");

  /** The log file, relative to the build directory, as path elements. */
  private static final String[] LOG_FILE_ELEMENTS = {"work", "logs", "job-output.txt"};

  private BuildPaths() {}

  /** Whether {@code name} has the form of a build id (and so is safe to resolve under the job dir). */
  public static boolean isBuildId(String name) {
    return name != null && BUILD_ID.matcher(name).matches();
  }

  /**
   * The build directory {@code <jobDir>/<buildId>}.
   *
   * @throws IllegalArgumentException if {@code buildId} is not hex digits, so a caller's mistake can
   *     never turn a request into a path outside the job directory
   */
  public static Path buildDir(Path jobDir, String buildId) {
    if (!isBuildId(buildId)) {
      throw new IllegalArgumentException("Not a build id: " + buildId);
    }
    return jobDir.resolve(buildId);
  }

  /** The log file {@code <jobDir>/<buildId>/work/logs/job-output.txt}; same check as {@link #buildDir}. */
  public static Path logFile(Path jobDir, String buildId) {
    Path p = buildDir(jobDir, buildId);
    for (String element : LOG_FILE_ELEMENTS) {
      p = p.resolve(element);
    }
    return p;
  }
}
