package org.fingerpost.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The web tier as a reverse proxy (issue 11), side by side in one run on one backend (Jetty, this
 * JVM): a streamed response of {@code size} MiB (chunked, 64 KiB writes) read directly, through a
 * Fingerpost route and through nginx ({@code proxy_buffering off}, started by {@code bench/proxy}),
 * best of {@code rounds}; then 1 KiB JSON GETs from 64 concurrent clients (keep-alive) for {@code
 * seconds} through each proxy, p50/p99. The web node runs in its own JVM ({@link WebNodeProcess}), as
 * nginx runs in its own processes: neither proxy shares a JVM (heap, GC, JIT, safepoints) with the
 * load generator and the backend. Args: nginxPort backendPortFile size rounds seconds clients workDir resultFile.
 */
public final class ProxyBench {
  /**
   * Seconds of discarded load on each side before the latency rounds, by default: long enough for
   * the web node's JIT to finish compiling the request path on a busy 2-core machine (with 5 s the
   * compiler threads still took 35-40 % of the web node's CPU in the measured rounds).
   */
  private static final int DEFAULT_WARM_UP_SECONDS = 30;
  /** Alternating latency rounds per side. */
  private static final int LATENCY_ROUNDS = 3;

  /** System property: the class path of a second web node (an earlier build) measured beside this one. */
  static final String BASELINE_PROPERTY = "bench.baselineClassPath";

  private static final byte[] JSON = json();

  /** The CPU time a proxy process has used, in seconds. */
  private interface CpuClock {
    double seconds() throws IOException;
  }

  /** One proxy measured in the latency rounds. */
  private record Side(String name, int port, CpuClock cpu, List<double[]> rounds, List<String> cpuPerRequest) {
    Side(String name, int port, CpuClock cpu) {
      this(name, port, cpu, new ArrayList<>(), new ArrayList<>());
    }
  }

  private ProxyBench() {}

  public static void main(String[] args) throws Exception {
    int nginxPort = Integer.parseInt(args[0]);
    Path backendPortFile = Path.of(args[1]);
    int sizeMiB = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    int clients = Integer.parseInt(args[5]);
    Path work = Path.of(args[6]);
    Path result = Path.of(args[7]);
    int warmUp = args.length > 8 ? Integer.parseInt(args[8]) : DEFAULT_WARM_UP_SECONDS;
    Server backend = backend(Integer.parseInt(Files.readString(backendPortFile).trim()));
    int backendPort = ((ServerConnector) backend.getConnectors()[0]).getLocalPort();
    try (LocalZooKeeper zk = LocalZooKeeper.start(work.resolve("zk"), 0);
         WebNodeProcess web = WebNodeProcess.start(zk.connectString(), "http://127.0.0.1:" + backendPort + "/",
             work.resolve("web-node.log"), null);
         WebNodeProcess baseline = System.getProperty(BASELINE_PROPERTY) == null ? null
             : WebNodeProcess.start(zk.connectString(), "http://127.0.0.1:" + backendPort + "/",
                 work.resolve("baseline-node.log"), System.getProperty(BASELINE_PROPERTY))) {
      StringBuilder out = new StringBuilder();
      out.append(String.format("load average at start: %s%n", Files.readString(Path.of("/proc/loadavg")).trim()));
      out.append(String.format("web node: its own JVM (pid %d, %s)%s%n", web.pid(), web.jvmArgs(),
          baseline == null ? "" : "; baseline web node (another build, small requests only): pid " + baseline.pid()));
      out.append(String.format("streamed response, %d MiB, best of %d rounds (MiB/s):%n", sizeMiB, rounds));
      double direct = 0;
      double fingerpost = 0;
      double nginx = 0;
      for (int r = 0; r < rounds; r++) {
        direct = Math.max(direct, stream(backendPort, sizeMiB));
        fingerpost = Math.max(fingerpost, stream(web.port(), sizeMiB));
        nginx = Math.max(nginx, stream(nginxPort, sizeMiB));
      }
      out.append(String.format("  direct       %8.0f%n  fingerpost   %8.0f%n  nginx        %8.0f%n", direct, fingerpost, nginx));
      out.append(String.format("  fingerpost / nginx = %.2f (target >= 0.80)%n", fingerpost / nginx));
      out.append(String.format("small requests, 1 KiB JSON, %d concurrent clients, %d s each (ms):%n", clients, seconds));
      long nginxMaster = Long.parseLong(Files.readString(work.resolve("nginx.pid")).trim());
      List<Side> sides = new ArrayList<>();
      sides.add(new Side("fingerpost", web.port(), web::cpuSeconds));
      if (baseline != null) {
        sides.add(new Side("baseline", baseline.port(), baseline::cpuSeconds));
      }
      sides.add(new Side("nginx", nginxPort, () -> nginxCpuSeconds(nginxMaster)));
      // Steady state for all alike: a discarded warm-up of each under the same load (JIT, connection
      // pools), then rounds alternating the sides; each side's median round (by p99) counts.
      for (Side side : sides) {
        latency(side.port(), clients, warmUp);
      }
      String webThreads = "";
      for (int r = 0; r < LATENCY_ROUNDS; r++) {
        for (Side side : sides) {
          double cpuBefore = side.cpu().seconds();
          ThreadCpu threads = side.name().equals("fingerpost") ? new ThreadCpu(web.pid()) : null;
          double[] round = latency(side.port(), clients, seconds);
          if (threads != null) {
            webThreads = threads.report(0.1);
          }
          side.cpuPerRequest().add(String.format("%.0f", (side.cpu().seconds() - cpuBefore) / round[2] * 1e6));
          side.rounds().add(round);
        }
      }
      out.append(String.format("  (after %d s warm-up of each; median of %d alternating rounds by p99; CPU per request"
          + " is the proxy process's: the web node's JVM, nginx's workers)%n", warmUp, LATENCY_ROUNDS));
      for (Side side : sides) {
        double[] m = medianByP99(side.rounds());
        out.append(String.format("  %-11s p50 %6.2f  p99 %6.2f  (%d requests); p99 per round %s; CPU per request µs %s%n",
            side.name(), m[0], m[1], (long) m[2], p99s(side.rounds()), String.join("/", side.cpuPerRequest())));
      }
      double ngP99 = medianByP99(sides.get(sides.size() - 1).rounds())[1];
      for (Side side : sides.subList(0, sides.size() - 1)) {
        out.append(String.format("  p99 %s / nginx = %.2f (target <= 1.50)%n", side.name(),
            medianByP99(side.rounds())[1] / ngP99));
      }
      out.append(String.format("  web node's CPU by thread in its last round: %s%n", webThreads));
      out.append(String.format("load average at end: %s%n", Files.readString(Path.of("/proc/loadavg")).trim()));
      out.append(String.format("web node CPU (user + system) over the whole run: %.1f s%n", web.cpuSeconds()));
      System.out.print(out);
      Files.createDirectories(result.getParent());
      Files.writeString(result, out.toString());
    } finally {
      backend.stop();
    }
    System.exit(0); // the JDK HttpClient's selector threads are not daemons
  }

  /** The backend: {@code /big?mib=N} streams N MiB chunked, {@code /json} answers 1 KiB of JSON. */
  private static Server backend(int port) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int mib = Integer.parseInt(req.getParameter("mib"));
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        OutputStream out = resp.getOutputStream();
        for (int i = 0; i < mib * 16; i++) {
          out.write(chunk); // no Content-Length: a chunked stream
        }
      }
    }), "/big");
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("application/json");
        resp.setContentLength(JSON.length);
        resp.getOutputStream().write(JSON);
      }
    }), "/json");
    server.setHandler(context);
    server.start();
    return server;
  }

  /** CPU time (user + system, seconds) of nginx's worker processes, the children of {@code master}. */
  private static double nginxCpuSeconds(long master) throws IOException {
    long ticks = 0;
    try (java.util.stream.Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(q -> q.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String stat = Files.readString(p.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (Long.parseLong(f[1]) == master) { // field 4, ppid
            ticks += ProcFs.cpuTicks(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException | RuntimeException gone) {
          // a process that ended meanwhile
        }
      }
    }
    return ticks / (double) WebNodeProcess.TICKS_PER_SECOND;
  }

  private static double[] medianByP99(List<double[]> rounds) {
    List<double[]> sorted = new ArrayList<>(rounds);
    sorted.sort(java.util.Comparator.comparingDouble(r -> r[1]));
    return sorted.get(sorted.size() / 2);
  }

  private static String p99s(List<double[]> rounds) {
    return rounds.stream().map(r -> String.format("%.1f", r[1])).collect(java.util.stream.Collectors.joining("/"));
  }

  /** Reads {@code /big} on {@code port} to its end; MiB/s. */
  private static double stream(int port, int mib) throws IOException {
    long start = System.nanoTime();
    long total = 0;
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.getOutputStream().write(("GET /big?mib=" + mib + " HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      byte[] buf = new byte[256 * 1024];
      for (int n; (n = in.read(buf)) >= 0; ) {
        total += n;
      }
    }
    if (total < (long) mib * 1024 * 1024) {
      throw new IOException("short response through port " + port + ": " + total + " bytes");
    }
    return mib / ((System.nanoTime() - start) / 1e9);
  }

  /** {@code clients} loops of GET /json for {@code seconds}; p50, p99 (ms) and the count. */
  private static double[] latency(int port, int clients, int seconds) throws Exception {
    ExecutorService clientThreads = Executors.newFixedThreadPool(4);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .executor(clientThreads).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json")).build();
    for (int i = 0; i < 200; i++) { // warm up connections and JIT
      http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<Future<long[]>> results = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      results.add(pool.submit(() -> {
        long[] samples = new long[Samples.INITIAL_CAPACITY]; // small: see Samples
        int n = 0;
        while (System.nanoTime() < end) {
          long t = System.nanoTime();
          HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
          if (r.statusCode() != 200 || r.body().length != JSON.length) {
            throw new IOException("bad answer " + r.statusCode());
          }
          if (n == samples.length) {
            samples = Arrays.copyOf(samples, n * 2);
          }
          samples[n++] = System.nanoTime() - t;
        }
        return Arrays.copyOf(samples, n);
      }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<long[]> f : results) {
      for (long v : f.get()) {
        all.add(v);
      }
    }
    pool.shutdown();
    clientThreads.shutdown(); // not daemon threads: left running, they would keep this JVM alive
    long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
    return new double[] {sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, sorted.length};
  }

  private static byte[] json() {
    StringBuilder b = new StringBuilder("{\"items\": [");
    while (b.length() < 1000) {
      b.append("{\"name\": \"job\", \"n\": ").append(b.length()).append("},");
    }
    b.setLength(b.length() - 1);
    b.append("]}");
    while (b.length() < 1024) {
      b.insert(1, ' ');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
