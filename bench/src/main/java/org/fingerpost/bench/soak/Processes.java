package org.fingerpost.bench.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The soak's daemons as {@code bench/soak} started them: each has a name, a pid file
 * ({@code <work>/pids/<name>}), a start script ({@code <work>/cmd/<name>.sh}, which runs it in its
 * zone's network namespace with its log appended to {@code <work>/logs/<name>.log}) and a health
 * check (a TCP address that must accept, or a ZooKeeper client port that must answer {@code srvr}
 * as leader or follower). Signals go through {@code kill}; the partition through {@code ip link}.
 *
 * <p>Threads: used by the soak's main thread; {@link #pid} by the sampler too (reads files only).
 */
final class Processes {
  private static final int CHECK_TIMEOUT_MILLIS = 1_000;

  private final Properties topology;
  private final Path work;

  Processes(Properties topology) {
    this.topology = topology;
    this.work = Path.of(topology.getProperty("work"));
  }

  String get(String key) {
    String v = topology.getProperty(key);
    if (v == null) {
      throw new IllegalArgumentException("topology has no " + key);
    }
    return v;
  }

  List<String> list(String key) {
    return List.of(get(key).split(","));
  }

  /** Names of every daemon with a pid file. */
  List<String> names() throws IOException {
    List<String> names = new ArrayList<>();
    try (var s = Files.list(work.resolve("pids"))) {
      s.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
    }
    return names;
  }

  long pid(String name) throws IOException {
    return Long.parseLong(Files.readString(work.resolve("pids").resolve(name)).trim());
  }

  void signal(String name, String signal) throws IOException, InterruptedException {
    run("kill", "-" + signal, Long.toString(pid(name)));
  }

  /** {@code kill -9}, waits for the process to be gone, starts it again with its start script. */
  void killAndRestart(String name) throws IOException, InterruptedException {
    long pid = pid(name);
    run("kill", "-KILL", Long.toString(pid));
    awaitGone(pid);
    start(name);
  }

  /**
   * Waits (at most 10 s) until the process is gone: no {@code /proc} entry, or a zombie with no
   * thread left (so its sockets are closed and its ports free). A zombie leader alone does not
   * tell: the leader thread of a killed JVM exits first while the others still hold the sockets.
   */
  private static void awaitGone(long pid) throws IOException, InterruptedException {
    Path proc = Path.of("/proc/" + pid);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (var tasks = Files.list(proc.resolve("task"))) {
        String stat = Files.readString(proc.resolve("stat"));
        if (tasks.count() <= 1 && stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
          return;
        }
      } catch (IOException e) {
        return; // gone
      }
      Thread.sleep(20); // polling /proc: the kernel offers no wait for a process that is not our child
    }
    throw new IOException("process " + pid + " still running 10 s after kill -9");
  }

  void start(String name) throws IOException {
    Process p =
        new ProcessBuilder("bash", work.resolve("cmd").resolve(name + ".sh").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    // The script execs (bash, then ip netns exec, then java): the pid stays the daemon's.
    Files.writeString(work.resolve("pids").resolve(name), p.pid() + "\n");
  }

  /** Cuts zone B off (its end of the link between the zones' namespaces goes down), or joins it again. */
  void partition(boolean cut) throws IOException, InterruptedException {
    run("ip", "-n", get("netns.b"), "link", "set", get("veth.b"), cut ? "down" : "up");
    run("ip", "-n", get("netns.a"), "link", "set", get("veth.a"), cut ? "down" : "up");
  }

  /** True when the daemon is alive and serves: its address accepts, or ZooKeeper answers srvr. */
  boolean healthy(String name) {
    try {
      if (!ProcessHandle.of(pid(name)).map(ProcessHandle::isAlive).orElse(false)) {
        return false;
      }
      String address = get("addr." + name);
      if (name.startsWith("zk")) {
        String mode = zkMode(address);
        return mode.equals("leader") || mode.equals("follower");
      }
      connect(address).close();
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The ZooKeeper member that is leader now, or the first when none answers so. */
  String zkLeader() {
    for (String zk : list("zookeeper")) {
      try {
        if (zkMode(get("addr." + zk)).equals("leader")) {
          return zk;
        }
      } catch (IOException e) {
        // not answering: not the leader
      }
    }
    return list("zookeeper").get(0);
  }

  private static String zkMode(String address) throws IOException {
    try (Socket s = connect(address)) {
      OutputStream out = s.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      for (String line : answer.split("\n")) {
        if (line.startsWith("Mode: ")) {
          return line.substring(6).trim();
        }
      }
      return "";
    }
  }

  private static Socket connect(String address) throws IOException {
    int colon = address.lastIndexOf(':');
    Socket s = new Socket();
    s.setSoTimeout(CHECK_TIMEOUT_MILLIS);
    s.connect(
        new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
        CHECK_TIMEOUT_MILLIS);
    return s;
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + out.trim());
    }
  }
}
