package org.fingerpost.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@link WsFanoutBench}'s side of a {@link FanoutNode} JVM: starts it, asks it questions over its
 * line protocol ({@code build}, {@code gc}, {@code stats}, {@code websockets}), reads its RSS from
 * {@code /proc}, and attaches a profiler to it. {@link #close()} ends its input ("quit") and waits for
 * it. Not thread-safe: the benchmark's main thread is its one user.
 */
final class FanoutNodeProcess implements AutoCloseable {
  private final Process process;
  private final BufferedReader answers;
  private final PrintStream commands;
  private final int port;

  private FanoutNodeProcess(Process process) throws IOException {
    this.process = process;
    this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    this.port = Integer.parseInt(answer().split(" ")[1]);
  }

  /**
   * Starts the node with {@code -Xmx<heap>}, the options of {@code -Dbench.nodeJvm} (a profiler agent,
   * GC logging) and {@code work} as its work directory; returns once it answered {@code READY}.
   */
  static FanoutNodeProcess start(String heap, Path work) throws IOException {
    // Extra options for the web node's JVM only (a profiler agent, GC logging): -Dbench.nodeJvm="..."
    String options = "-Xmx" + heap + " " + System.getProperty("bench.nodeJvm", "");
    Process process = new ProcessBuilder(ChildJvm.command(options, null, FanoutNode.class, work.toString()))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      return new FanoutNodeProcess(process);
    } catch (IOException | RuntimeException e) {
      process.destroy();
      throw e;
    }
  }

  /** A build the node started: its uuid and its log file, which the benchmark appends to. */
  record Build(String uuid, Path log) {}

  /** Starts a new build on the node (its log begins with {@code start\n}). */
  Build build() throws IOException {
    String uuid = String.format("f00dcafe%024x", System.nanoTime());
    commands.println("build " + uuid);
    String ok = answer();
    if (!ok.startsWith("OK ")) {
      throw new IllegalStateException(ok);
    }
    return new Build(uuid, Path.of(ok.substring(3)));
  }

  /** The node's process id (for {@code /proc}). */
  long pid() {
    return process.pid();
  }

  /** The node's web port. */
  int port() {
    return port;
  }

  /** The answer to {@code command}. */
  String answerOf(String command) throws IOException {
    commands.println(command);
    return answer();
  }

  /** Heap in use after a full collection, in bytes. */
  long heap() throws IOException {
    return Long.parseLong(answerOf("gc").split(" ")[1]);
  }

  long rssKiB() throws IOException {
    return ProcFs.status(process.pid(), "VmRSS");
  }

  /**
   * Profiles the web node when {@code -Dbench.profiler=<libasyncProfiler.so>} names async-profiler's
   * agent: attached to the node with {@code jcmd JVMTI.agent_load}, so the profile holds what runs
   * between a {@code start} and a {@code stop} only, not the setup of the websockets. Nothing otherwise.
   */
  void profiler(String options) throws IOException, InterruptedException {
    String agent = System.getProperty("bench.profiler");
    if (agent == null) {
      return;
    }
    // Quoted: jcmd would read the options' "key=value" pairs as its own arguments.
    String answer = Jcmd.run(process.pid(), "JVMTI.agent_load", agent, "\"" + options + "\"");
    // jcmd exits 0 even when the agent refused: its answer carries the agent's return code.
    if (answer == null || !answer.contains("return code: 0")) {
      throw new IOException("jcmd " + options + ": " + answer);
    }
  }

  /** The node's next answer line (other stdout lines are skipped). */
  private String answer() throws IOException {
    for (String line = answers.readLine(); line != null; line = answers.readLine()) {
      if (line.startsWith(FanoutNode.ANSWER)) {
        return line.substring(FanoutNode.ANSWER.length());
      }
    }
    throw new IOException("the web node process ended");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    process.getOutputStream().close(); // "quit" by end of input
    process.waitFor();
  }
}
