package org.fingerpost.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.fingerpost.testing.Await;

/**
 * Debian's nginx with its stream module, proxying a loopback port to an upstream: the reference a
 * gateway hop is measured against. Started as a child process with its own configuration.
 */
final class NginxStreamProxy implements AutoCloseable {
  static final Path NGINX = Path.of("/usr/sbin/nginx");
  static final Path STREAM_MODULE = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");
  /**
   * Same read size as the gateway's upstream buffer ({@code transports.buffer_bytes}' default), so the
   * comparison is like for like; {@code -Dbench.nginxBuffer} sets another (with {@code -Dbench.bufferBytes}).
   */
  static final String PROXY_BUFFER = System.getProperty("bench.nginxBuffer", "64k");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final Process process;
  private final int port;

  private NginxStreamProxy(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static boolean available() {
    return Files.isExecutable(NGINX) && Files.exists(STREAM_MODULE);
  }

  static NginxStreamProxy start(Path workDir, int upstreamPort) throws Exception {
    return start(workDir, upstreamPort, null);
  }

  /**
   * As {@link #start(Path, int)}, but the hop to the upstream is mutual TLS (nginx's {@code proxy_ssl},
   * OpenSSL) when {@code pki} is given: a directory with {@code ca.crt}, {@code node.crt},
   * {@code node.key}. The client side stays plain, as a client of a gateway is.
   */
  static NginxStreamProxy start(Path workDir, int upstreamPort, Path pki) throws Exception {
    return start(workDir, upstreamPort, pki, null);
  }

  /**
   * As {@link #start(Path, int, Path)}, and with {@code listenPki} (the same layout) the port itself
   * speaks mutual TLS: {@code node.crt} as the server certificate, clients must present one signed by
   * {@code ca.crt}, TLS 1.3, as a TLS gateway's port does.
   */
  static NginxStreamProxy start(Path workDir, int upstreamPort, Path pki, Path listenPki) throws Exception {
    // nginx resolves relative paths against its prefix: give it absolute ones only.
    Path dir = Files.createDirectories(workDir).toAbsolutePath();
    int port = freePort();
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(conf, String.join("\n",
        "load_module " + STREAM_MODULE + ";",
        "worker_processes 1;",
        "pid " + dir.resolve("nginx.pid") + ";",
        "error_log " + dir.resolve("error.log") + " warn;",
        "events { worker_connections 1024; }",
        "stream {",
        "  server {",
        "    listen 127.0.0.1:" + port + (listenPki == null ? ";" : " ssl;"),
        listenPki == null ? "" : String.join("\n",
            "    ssl_protocols TLSv1.3;",
            "    ssl_certificate " + listenPki.toAbsolutePath().resolve("node.crt") + ";",
            "    ssl_certificate_key " + listenPki.toAbsolutePath().resolve("node.key") + ";",
            "    ssl_client_certificate " + listenPki.toAbsolutePath().resolve("ca.crt") + ";",
            "    ssl_verify_client on;"),
        "    proxy_pass 127.0.0.1:" + upstreamPort + ";",
        "    proxy_buffer_size " + PROXY_BUFFER + ";",
        pki == null ? "" : String.join("\n",
            "    proxy_ssl on;",
            "    proxy_ssl_protocols TLSv1.3;",
            "    proxy_ssl_server_name on;",
            "    proxy_ssl_name localhost;",
            "    proxy_ssl_verify on;",
            "    proxy_ssl_trusted_certificate " + pki.toAbsolutePath().resolve("ca.crt") + ";",
            "    proxy_ssl_certificate " + pki.toAbsolutePath().resolve("node.crt") + ";",
            "    proxy_ssl_certificate_key " + pki.toAbsolutePath().resolve("node.key") + ";"),
        "  }",
        "}", ""));
    Process p = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", conf.toString(), "-g", "daemon off;")
        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    // A benchmark that fails half-way exits without close(): the proxy must not outlive it.
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "nginx-reaper"));
    if (!Await.within(START_TIMEOUT, () -> accepts(port) || !p.isAlive()) || !p.isAlive()) {
      p.destroyForcibly();
      throw new IOException("nginx did not start; see " + dir.resolve("error.log"));
    }
    return new NginxStreamProxy(p, port);
  }

  int port() {
    return port;
  }

  /** Whether something accepts connections on loopback {@code port}. */
  static boolean accepts(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A loopback port free at the time of the call (for a child process that cannot take port 0). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
