package org.fingerpost.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.fingerpost.testing.Await;

/**
 * Debian's haproxy in TCP mode, one thread, proxying a loopback port to an upstream: a second C
 * reference for one hop, with the kernel's {@code splice(2)} ({@code option splice-request} and
 * {@code splice-response}: bytes go socket to pipe to socket, never into user space) or without it
 * ({@code recv}/{@code send} through a user-space buffer, as nginx and the gateway copy). Started as a child process with its own
 * configuration; used by {@link RelayThroughput} with {@code -Dbench.haproxy=true}.
 */
final class HaproxyTcpProxy implements AutoCloseable {
  static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
  /** haproxy's buffer: the gateway's upstream buffer ({@code -Dbench.bufferBytes}), so copying is like for like. */
  static final int BUFFER_BYTES = Integer.getInteger("bench.bufferBytes", 64 * 1024);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final Process process;
  private final int port;

  private HaproxyTcpProxy(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static boolean available() {
    return Files.isExecutable(HAPROXY);
  }

  static HaproxyTcpProxy start(Path workDir, int upstreamPort, boolean splice) throws Exception {
    Path dir = Files.createDirectories(workDir).toAbsolutePath();
    int port = NginxStreamProxy.freePort();
    Path conf = dir.resolve("haproxy.cfg");
    Files.writeString(conf, String.join("\n",
        "global",
        "  nbthread 1",
        "  tune.bufsize " + BUFFER_BYTES,
        "defaults",
        "  mode tcp",
        "  timeout connect 5s",
        "  timeout client 120s",
        "  timeout server 120s",
        splice ? "  option splice-request\n  option splice-response" : "  no option splice-auto",
        "listen relay",
        "  bind 127.0.0.1:" + port,
        "  server upstream 127.0.0.1:" + upstreamPort,
        ""));
    Process p = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", conf.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
    // A benchmark that fails half-way exits without close(): the proxy must not outlive it.
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "haproxy-reaper"));
    try {
      if (!Await.within(START_TIMEOUT, () -> NginxStreamProxy.accepts(port) || !p.isAlive()) || !p.isAlive()) {
        throw new IOException("haproxy did not start; see " + dir.resolve("haproxy.log"));
      }
      return new HaproxyTcpProxy(p, port);
    } catch (Exception | Error e) {
      p.destroyForcibly();
      throw e;
    }
  }

  int port() {
    return port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
