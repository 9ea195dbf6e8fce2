package org.fingerpost.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A web node in a JVM of its own ({@link BenchNode} {@code web}), with one default route to a
 * backend: the proxy under test runs apart from the load generator and the backend, as nginx does.
 * JVM options: {@value #JVM_PROPERTY} (system property of the benchmark; default {@value
 * #DEFAULT_JVM}), for example {@code -XX:StartFlightRecording=...} to profile it. Its stdout and
 * stderr go to a log file. {@link #close()} closes its stdin (it exits) and waits for it. Not
 * thread-safe; one owner.
 */
final class WebNodeProcess implements AutoCloseable {
  /** System property: the web node's JVM options, space-separated. */
  static final String JVM_PROPERTY = "bench.webJvm";
  static final String DEFAULT_JVM = "-Xmx1g";
  /** How long the node may take to start listening, in seconds. */
  static final int START_SECONDS = 60;
  /** Clock ticks per second of {@code /proc/<pid>/stat} CPU times (Linux's USER_HZ). */
  static final int TICKS_PER_SECOND = 100;

  private final Process process;
  private final String jvm;
  private final int port;

  private WebNodeProcess(Process process, String jvm, int port) {
    this.process = process;
    this.jvm = jvm;
    this.port = port;
  }

  /**
   * Starts the node against ZooKeeper {@code zk}, route {@code /} to {@code backend}; waits until it
   * listens. {@code classPath}: the node's, or null for this JVM's.
   */
  static WebNodeProcess start(String zk, String backend, Path log, String classPath)
      throws IOException, InterruptedException {
    String jvm = System.getProperty(JVM_PROPERTY, DEFAULT_JVM).trim();
    Process p = new ProcessBuilder(ChildJvm.command(jvm, classPath, BenchNode.class, "web", zk, backend)).redirectError(log.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    // The node logs to stdout too; its first PORT line says it listens. Reading continues on a
    // daemon thread so that a full pipe never stops it.
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("PORT ")) {
        int port = Integer.parseInt(line.substring(5).trim());
        Thread drain = new Thread(() -> drain(out), "web-node-stdout");
        drain.setDaemon(true);
        drain.start();
        return new WebNodeProcess(p, jvm, port);
      }
    }
    p.waitFor(START_SECONDS, TimeUnit.SECONDS);
    throw new IOException("web node ended before listening; see " + log);
  }

  private static void drain(BufferedReader out) {
    try {
      while (out.readLine() != null) {
        // discarded: the node's log lines
      }
    } catch (IOException e) {
      // the node went away
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  String jvmArgs() {
    return jvm;
  }

  /** CPU time (user + system) the node has used so far, in seconds. */
  double cpuSeconds() throws IOException {
    return ProcFs.cpuTicks(process.pid()) / (double) TICKS_PER_SECOND;
  }

  @Override
  public void close() throws Exception {
    process.getOutputStream().close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
