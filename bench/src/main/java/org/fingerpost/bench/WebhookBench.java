package org.fingerpost.bench;

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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;
import org.fingerpost.webapp.WebServer;
import org.fingerpost.webapp.WebServices;
import org.fingerpost.webapp.WebSettings;
import org.fingerpost.webapp.webhooks.WebhookConnections;

/**
 * Webhooks per second and ack latency (request sent to 200 received) at 1, 16 and 64 concurrent
 * senders against a real ZooKeeper, beside the raw rate of one Curator client creating persistent
 * sequential nodes of the same size with the same number of creates outstanding, in the same run.
 * Each sender posts signed GitHub deliveries over its own keep-alive connection and waits for each
 * answer before the next.
 *
 * <p>Usage: {@code WebhookBench <zookeeper host:port> [seconds per phase (8)] [resultFile]}.
 */
public final class WebhookBench {
  static final int[] CONCURRENCY = {1, 16, 64};
  /**
   * Untimed run at 16 senders before the first phase, so that the JIT has compiled the hot paths
   * ({@code -Dbench.warmupSeconds}, 120 by default: with 20 s, the compiler threads still took half of
   * the JVM's CPU in the measured phases on 2 cores).
   */
  static final Duration JIT_WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmupSeconds", 120));
  /** Untimed run-in before each measured phase. */
  static final Duration WARM_UP = Duration.ofSeconds(2);
  /** Size of the JSON body of each delivery, in bytes: a typical GitHub pull_request payload. */
  static final int BODY_BYTES = 6_000;
  static final String SECRET = "bench-secret";
  /** 503 answers in the measured part of the last webhook phase. */
  static final AtomicLong refused = new AtomicLong();
  /** Latency samples kept per sender and phase (more deliveries are sent but not sampled). */
  static final int MAX_SAMPLES_PER_SENDER = 200_000;

  private WebhookBench() {}

  public static void main(String[] args) throws Exception {
    String hosts = args[0];
    Duration phase = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 8);
    Path result = args.length > 2 ? Path.of(args[2]) : null;
    StringBuilder body = new StringBuilder("{\"action\": \"opened\", \"number\": 1, \"pull_request\": {\"body\": \"");
    while (body.length() < BODY_BYTES - 40) {
      body.append("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ");
    }
    body.append("\"}}");
    byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(payload));

    Map<String, Map<String, String>> sections = new java.util.LinkedHashMap<>();
    sections.put("connection github-warm", Map.of("driver", "github", "webhook_token", SECRET));
    for (int c : CONCURRENCY) {
      sections.put("connection github-" + c, Map.of("driver", "github", "webhook_token", SECRET));
    }
    try (Registry registry = Registry.connect(RegistrySettings.builder(hosts).build());
        Transports transports = Transports.load(WebhookBench.class.getClassLoader(), null, TransportSettings.EMPTY);
        WebServices services = new WebServices(WebSettings.builder().port(0).build(), registry, transports,
            WebhookConnections.fromSections(sections));
        WebServer web = new WebServer(services);
        CuratorFramework raw = CuratorFrameworkFactory.newClient(hosts, new RetryOneTime(1000))) {
      web.start();
      raw.start();
      raw.blockUntilConnected();
      // Size of one stored event: the queue node the endpoint writes.
      HttpClient probe = HttpClient.newHttpClient();
      send(probe, web.port(), "github-1", payload, signature, "probe");
      String queue = "/zuul/events/connection/github-1/events/queue";
      int nodeBytes = registry.curator().getData().forPath(queue + "/"
          + registry.curator().getChildren().forPath(queue).get(0)).length;
      byte[] rawNode = new byte[nodeBytes];
      Arrays.fill(rawNode, (byte) 'x');

      StringBuilder out = new StringBuilder();
      out.append(String.format("Webhooks into ZooKeeper %s: %d-byte GitHub body, %d-byte queue node, %d s per phase "
          + "after %d s of JIT warm-up%n", hosts, payload.length, nodeBytes, phase.toSeconds(), JIT_WARM_UP.toSeconds()));
      out.append(String.format("%-8s %12s %8s %10s %10s %16s %8s%n", "senders", "webhooks/s", "503s", "p50 ms",
          "p99 ms", "raw creates/s", "ratio"));
      webhooks(web.port(), "github-warm", payload, signature, 16, JIT_WARM_UP);
      clear(raw, "/zuul/events/connection/github-warm/events/queue");
      rawCreates(raw, "/bench/raw-warm", rawNode, 16, WARM_UP);
      clear(raw, "/bench/raw-warm");
      StringBuilder cpu = new StringBuilder("CPU of this JVM (senders, web tier, ZooKeeper clients) by thread, webhook phases:\n");
      for (int c : CONCURRENCY) {
        double rawRate = rawCreates(raw, "/bench/raw-" + c, rawNode, c, phase);
        clear(raw, "/bench/raw-" + c);
        ThreadCpu threads = new ThreadCpu();
        long[] lat = webhooks(web.port(), "github-" + c, payload, signature, c, phase);
        clear(raw, "/zuul/events/connection/github-" + c + "/events/queue");
        cpu.append(c).append(" senders: ").append(threads.report(0.2)).append('\n');
        double rate = lat.length / (phase.toNanos() / 1e9);
        Arrays.sort(lat);
        out.append(String.format("%-8d %12.0f %8d %10.2f %10.2f %16.0f %8.2f%n", c, rate, refused.get(),
            pct(lat, 0.50), pct(lat, 0.99), rawRate, rate / rawRate));
        System.out.print(out.substring(out.lastIndexOf("\n", out.length() - 2) + 1));
      }
      out.append(String.format("load average at the end: %s%n",
          Files.readString(Path.of("/proc/loadavg")).trim()));
      out.append(cpu);
      System.out.println();
      System.out.print(out);
      if (result != null) {
        Files.createDirectories(result.getParent());
        Files.writeString(result, out.toString());
      }
    }
  }

  static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
  }

  /**
   * Deletes the children of {@code parent} (untimed, between phases), as a scheduler consumes a queue:
   * ZooKeeper keeps its whole tree in memory and snapshots it, so every phase starts from the same size.
   */
  static void clear(CuratorFramework zk, String parent) throws Exception {
    Semaphore window = new Semaphore(64);
    for (String child : zk.getChildren().forPath(parent)) {
      window.acquire();
      zk.delete().inBackground((client, event) -> window.release()).forPath(parent + "/" + child);
    }
    window.acquire(64);
  }

  /** Persistent sequential creates from one Curator client, {@code outstanding} in flight; creates per second. */
  static double rawCreates(CuratorFramework raw, String parent, byte[] data, int outstanding, Duration phase)
      throws Exception {
    raw.create().creatingParentsIfNeeded().forPath(parent);
    Semaphore window = new Semaphore(outstanding);
    AtomicLong done = new AtomicLong();
    long warmEnd = System.nanoTime() + WARM_UP.toNanos();
    long end = warmEnd + phase.toNanos();
    long counted = 0;
    long start = 0;
    while (true) {
      long now = System.nanoTime();
      if (start == 0 && now >= warmEnd) {
        start = now;
        counted = done.get();
      }
      if (now >= end) {
        break;
      }
      window.acquire();
      raw.create().withMode(CreateMode.PERSISTENT_SEQUENTIAL).inBackground((client, event) -> {
        done.incrementAndGet();
        window.release();
      }).forPath(parent + "/q", data);
    }
    long finished = done.get() - counted;
    window.acquire(outstanding); // drain the window before the next phase
    return finished / ((end - start) / 1e9);
  }

  /** {@code senders} threads posting deliveries; the ack latencies (ns) of those finished in the measured phase. */
  static long[] webhooks(int port, String connection, byte[] payload, String signature, int senders, Duration phase)
      throws Exception {
    long warmEnd = System.nanoTime() + WARM_UP.toNanos();
    long end = warmEnd + phase.toNanos();
    List<long[]> perSender = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    CountDownLatch finished = new CountDownLatch(senders);
    // One client for all senders, as one sender host would have: a pool of keep-alive connections.
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    refused.set(0);
    for (int s = 0; s < senders; s++) {
      long[] lat = new long[MAX_SAMPLES_PER_SENDER + 1];
      perSender.add(lat);
      int sender = s;
      Thread t = new Thread(() -> {
        int n = 0;
        int i = 0;
        try {
          while (true) {
            long t0 = System.nanoTime();
            if (t0 >= end) {
              break;
            }
            boolean stored = send(http, port, connection, payload, signature, sender + "-" + i++);
            long t1 = System.nanoTime();
            if (!stored) {
              if (t0 >= warmEnd && t1 <= end) {
                refused.incrementAndGet();
              }
              continue;
            }
            if (t0 >= warmEnd && t1 <= end) {
              if (n < MAX_SAMPLES_PER_SENDER) {
                lat[++n] = t1 - t0;
              }
            }
          }
        } catch (Throwable e) {
          errors.add(e);
        } finally {
          lat[0] = n;
          finished.countDown();
        }
      }, "sender-" + s);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    finished.await();
    if (!errors.isEmpty()) {
      throw new IllegalStateException("sender failed", errors.get(0));
    }
    int total = 0;
    for (long[] l : perSender) {
      total += (int) l[0];
    }
    long[] all = new long[total];
    int k = 0;
    for (long[] l : perSender) {
      System.arraycopy(l, 1, all, k, (int) l[0]);
      k += (int) l[0];
    }
    return all;
  }

  /** Posts one delivery: true on 200, false on 503 (not stored: a sender would deliver it again). */
  static boolean send(HttpClient http, int port, String connection, byte[] payload, String signature, String id)
      throws Exception {
    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/api/connection/" + connection + "/payload"))
        .header("Content-Type", "application/json").header("X-GitHub-Event", "pull_request")
        .header("X-GitHub-Delivery", id).header("X-Hub-Signature-256", signature)
        .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() != 200 && r.statusCode() != 503) {
      throw new IllegalStateException("delivery " + id + " answered " + r.statusCode());
    }
    return r.statusCode() == 200;
  }
}
