package org.fingerpost.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's {@code jcmd} against another JVM of the benchmarks (heap probes, a profiler attached late).
 * JDK only: {@code bench/soak} compiles it with the soak's load generator, as {@link ProcFs}.
 */
public final class Jcmd {
  /** Longest wait for one {@code jcmd}, seconds. */
  public static final long TIMEOUT_SECONDS = 30;

  private Jcmd() {}

  /**
   * Runs {@code jcmd <pid> <args...>}.
   *
   * @return its output, or null when it failed or took longer than {@link #TIMEOUT_SECONDS}
   */
  public static String run(long pid, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid)));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return null;
    }
    return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
  }
}
