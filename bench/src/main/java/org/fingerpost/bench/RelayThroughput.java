package org.fingerpost.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fingerpost.gateway.Gateway;
import org.fingerpost.gateway.GatewaySettings;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streamer.StreamerSettings;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;

/**
 * Streams one large log through streamer -> gateway -> client and straight from the streamer, in
 * the same process and run, alternating the two so that machine noise hits both alike.
 *
 * <p>Usage: {@code RelayThroughput [sizeMiB] [rounds] [workDir] [resultFile]}. With nginx's stream
 * module installed, nginx's stream proxy is a path of the same rounds; with {@code -Dbench.haproxy=true}
 * and haproxy installed, so is haproxy in TCP mode, once copying and once with {@code splice(2)}
 * ({@link HaproxyTcpProxy}).
 */
public final class RelayThroughput {
  /** Bytes the client reads per call; large, so that the client is never the bottleneck. */
  static final int CLIENT_BUFFER_BYTES = 256 * 1024;

  static final String DIRECT = "direct (client -> streamer)";
  static final String GATEWAY = "gateway (client -> gateway -> streamer)";
  static final String NGINX = "nginx stream proxy (client -> nginx -> streamer)";

  private RelayThroughput() {}

  public static void main(String[] args) throws Exception {
    long sizeMiB = args.length > 0 ? Long.parseLong(args[0]) : 1024;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path work = Files.createDirectories(Path.of(args.length > 2 ? args[2] : "bench/work"));
    Path result = args.length > 3 ? Path.of(args[3]) : null;
    long size = sizeMiB * 1024 * 1024;

    String uuid = "feedc0de0000000000000000000000" + String.format("%02x", sizeMiB % 256);
    Path log = work.resolve("jobs").resolve(uuid).resolve("work/logs/job-output.txt");
    BenchLogs.ensure(log, size, 42);

    try (LocalZooKeeper zk = LocalZooKeeper.start(work.resolve("zookeeper-" + ProcessHandle.current().pid()), 0);
        Registry registry = Registry.connect(RegistrySettings.builder(zk.connectString()).build());
        Streamer streamer = new Streamer(StreamerSettings.builder().listenAddress("127.0.0.1").port(0)
            .hostname("127.0.0.1").jobDir(work.resolve("jobs")).tenant("bench").build(), registry);
        Transports transports = Transports.load(RelayThroughput.class.getClassLoader(), null,
            new TransportSettings(Map.of("buffer_bytes", System.getProperty("bench.bufferBytes", "65536"))));
        Gateway gateway = new Gateway(GatewaySettings.builder().listenAddress("127.0.0.1").port(0)
            .hostname("127.0.0.1").build(), registry, transports)) {
      streamer.start();
      gateway.start();
      BenchLogs.awaitUnzonedBuild(registry, uuid);

      Map<String, Integer> paths = new LinkedHashMap<>();
      paths.put(DIRECT, streamer.port());
      paths.put(GATEWAY, gateway.port());
      NginxStreamProxy nginx = null;
      if (NginxStreamProxy.available()) {
        nginx = NginxStreamProxy.start(work.resolve("nginx-" + ProcessHandle.current().pid()), streamer.port());
        paths.put(NGINX, nginx.port());
      } else {
        System.err.println("nginx with the stream module not found: install nginx libnginx-mod-stream to compare");
      }
      List<HaproxyTcpProxy> haproxies = new ArrayList<>();
      Map<String, List<Double>> mbps;
      try {
        if (Boolean.getBoolean("bench.haproxy") && HaproxyTcpProxy.available()) {
          for (boolean splice : new boolean[] {false, true}) {
            HaproxyTcpProxy h = HaproxyTcpProxy.start(
                work.resolve("haproxy-" + splice + "-" + ProcessHandle.current().pid()), streamer.port(), splice);
            haproxies.add(h);
            paths.put("haproxy tcp proxy, " + (splice ? "splice(2)" : "user-space copy"), h.port());
          }
        }
        mbps = measure(paths, uuid, size, rounds);
      } finally { // the proxies are child processes: never leave them running
        if (nginx != null) {
          nginx.close();
        }
        for (HaproxyTcpProxy h : haproxies) {
          h.close();
        }
      }
      report(System.out, sizeMiB, rounds, mbps);
      if (result != null) {
        Files.createDirectories(result.toAbsolutePath().getParent());
        try (PrintStream out = new PrintStream(Files.newOutputStream(result), true, StandardCharsets.UTF_8)) {
          report(out, sizeMiB, rounds, mbps);
        }
      }
    }
  }

  /** Streams the log through every path once to warm up, then {@code rounds} times, alternating; MB/s per path. */
  private static Map<String, List<Double>> measure(Map<String, Integer> paths, String uuid, long size, int rounds)
      throws IOException {
    Map<String, List<Double>> mbps = new LinkedHashMap<>();
    paths.keySet().forEach(k -> mbps.put(k, new ArrayList<>()));
    // Warm-up: page cache, JIT, connection paths.
    for (int port : paths.values()) {
      stream(port, uuid, Math.min(size, 256L * 1024 * 1024));
    }
    for (int r = 0; r < rounds; r++) {
      for (Map.Entry<String, Integer> p : paths.entrySet()) {
        double v = stream(p.getValue(), uuid, size);
        mbps.get(p.getKey()).add(v);
        System.err.printf("round %d %-50s %8.1f MB/s%n", r + 1, p.getKey(), v);
      }
    }
    return mbps;
  }

  private static void report(PrintStream out, long sizeMiB, int rounds, Map<String, List<Double>> mbps) {
    out.printf("Relay throughput: %d MiB log, %d rounds, median MB/s (1 MB = 10^6 bytes), %d cores, Java %s%n",
        sizeMiB, rounds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    out.printf("| %-50s | %10s | %10s | %10s |%n", "path", "median", "min", "max");
    out.printf("|%s|%s|%s|%s|%n", "-".repeat(52), "-".repeat(12), "-".repeat(12), "-".repeat(12));
    for (Map.Entry<String, List<Double>> e : mbps.entrySet()) {
      List<Double> v = new ArrayList<>(e.getValue());
      v.sort(Double::compare);
      double median = v.get(v.size() / 2);
      out.printf("| %-50s | %10.1f | %10.1f | %10.1f |%n", e.getKey(), median, v.get(0), v.get(v.size() - 1));
    }
    Map<String, Double> medians = new LinkedHashMap<>();
    mbps.forEach((k, v) -> medians.put(k, median(v)));
    double gateway = medians.get(GATEWAY);
    out.printf("gateway / direct = %.2f%n", gateway / medians.get(DIRECT));
    if (medians.containsKey(NGINX)) {
      out.printf("nginx / direct = %.2f%n", medians.get(NGINX) / medians.get(DIRECT));
      out.printf("gateway / nginx = %.2f%n", gateway / medians.get(NGINX));
    }
  }

  private static double median(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    v.sort(Double::compare);
    return v.get(v.size() / 2);
  }

  /** Reads {@code size} bytes of the build's log through {@code port}; returns MB/s. */
  static double stream(int port, String uuid, long size) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(CLIENT_BUFFER_BYTES);
    long start = System.nanoTime();
    try (SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port))) {
      ch.write(ByteBuffer.wrap((uuid + "\n").getBytes(StandardCharsets.US_ASCII)));
      long got = 0;
      while (got < size) {
        buffer.clear();
        int n = ch.read(buffer);
        if (n < 0) {
          throw new IOException("stream ended after " + got + " of " + size + " bytes");
        }
        got += n;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return size / seconds / 1e6;
  }
}
