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
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;
import org.fingerpost.webapp.WebServer;
import org.fingerpost.webapp.WebServices;
import org.fingerpost.webapp.WebSettings;

/**
 * The web tier as a reverse proxy (issue 11), side by side in one run on one backend (Jetty, this
 * JVM): a streamed response of {@code size} MiB (chunked, 64 KiB writes) read directly, through a
 * Fingerpost route and through nginx ({@code proxy_buffering off}, started by {@code bench/proxy}),
 * best of {@code rounds}; then 1 KiB JSON GETs from 64 concurrent clients (keep-alive) for {@code
 * seconds} through each proxy, p50/p99. Args: nginxPort backendPortFile size rounds seconds clients workDir resultFile.
 */
public final class ProxyBench {
  /** Seconds of discarded load on each side before the latency rounds. */
  private static final int WARM_UP_SECONDS = 5;
  /** Alternating latency rounds per side. */
  private static final int LATENCY_ROUNDS = 3;

  private static final byte[] JSON = json();

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
    Server backend = backend(Integer.parseInt(Files.readString(backendPortFile).trim()));
    int backendPort = ((ServerConnector) backend.getConnectors()[0]).getLocalPort();
    try (LocalZooKeeper zk = LocalZooKeeper.start(work.resolve("zk"), 0);
         Registry registry = Registry.connect(RegistrySettings.builder(zk.connectString()).build());
         Transports transports = Transports.load(ProxyBench.class.getClassLoader(), null, TransportSettings.EMPTY);
         WebServices services = new WebServices(WebSettings.builder().port(0)
             .routes(Map.of("/", URI.create("http://127.0.0.1:" + backendPort + "/"))).build(), registry, transports);
         WebServer web = new WebServer(services)) {
      web.start();
      StringBuilder out = new StringBuilder();
      out.append(String.format("load average at start: %s%n", Files.readString(Path.of("/proc/loadavg")).trim()));
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
      // Steady state for both alike: a discarded warm-up of each under the same load (JIT, connection
      // pools), then rounds alternating Fingerpost and nginx; each side's median round (by p99) counts.
      latency(web.port(), clients, WARM_UP_SECONDS);
      latency(nginxPort, clients, WARM_UP_SECONDS);
      List<double[]> fpRounds = new ArrayList<>();
      List<double[]> ngRounds = new ArrayList<>();
      for (int r = 0; r < LATENCY_ROUNDS; r++) {
        fpRounds.add(latency(web.port(), clients, seconds));
        ngRounds.add(latency(nginxPort, clients, seconds));
      }
      double[] fp = medianByP99(fpRounds);
      double[] ng = medianByP99(ngRounds);
      out.append(String.format("  (after %d s warm-up of each; median of %d alternating rounds by p99; p99 per round:"
          + " fingerpost %s, nginx %s)%n", WARM_UP_SECONDS, LATENCY_ROUNDS, p99s(fpRounds), p99s(ngRounds)));
      out.append(String.format("  fingerpost   p50 %6.2f  p99 %6.2f  (%d requests)%n", fp[0], fp[1], (long) fp[2]));
      out.append(String.format("  nginx        p50 %6.2f  p99 %6.2f  (%d requests)%n", ng[0], ng[1], (long) ng[2]));
      out.append(String.format("  p99 fingerpost / nginx = %.2f (target <= 1.50)%n", fp[1] / ng[1]));
      out.append(String.format("load average at end: %s%n", Files.readString(Path.of("/proc/loadavg")).trim()));
      System.out.print(out);
      Files.createDirectories(result.getParent());
      Files.writeString(result, out.toString());
    } finally {
      backend.stop();
    }
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
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .executor(Executors.newFixedThreadPool(4)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json")).build();
    for (int i = 0; i < 200; i++) { // warm up connections and JIT
      http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<Future<long[]>> results = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      results.add(pool.submit(() -> {
        long[] samples = new long[1 << 16];
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
