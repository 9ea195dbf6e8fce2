package org.fingerpost.bench;

import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.registry.events.ConnectionEventQueue;
import org.fingerpost.registry.events.EventQueues;
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
 * answer before the next. After the table, the target's comparison again in alternating rounds: the
 * raw creates, then each {@link #ALTERNATED} node, {@link #ANCHOR_ROUNDS} times, each round's ratios and
 * their median.
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
  /** One slice of the JIT warm-up, after which its queue is emptied. */
  static final Duration WARM_UP_SLICE = Duration.ofSeconds(10);
  /**
   * Rounds of the target's comparison (the NIO anchor, then the default node, again and again): the
   * machine's speed drifts between phases a minute apart, and each pair is measured side by side.
   */
  static final int ANCHOR_ROUNDS = Integer.getInteger("bench.anchorRounds", 3);
  /**
   * The nodes of the alternating rounds, by their {@link Mode#label} ({@code -Dbench.alternate},
   * comma-separated, spaces ignored): each round measures the anchor, then each of them in this order.
   */
  static final List<String> ALTERNATED = List.of(System.getProperty("bench.alternate", "default,batch_writes false")
      .split(","));
  /** Measured part of each phase, after its run-in ({@link #WARM_UP}). */
  static final Duration DEFAULT_PHASE = Duration.ofSeconds(8);
  /**
   * Whether each phase's queue is consumed while it is written ({@link QueueConsumer}, on a client of
   * its own), as a scheduler does ({@code -Dbench.consume}, true; false: the queue grows through the
   * phase and is emptied after it, as before 2026-12-03 13:17 UTC).
   */
  static final boolean CONSUME = Boolean.parseBoolean(System.getProperty("bench.consume", "true"));
  /** The consumer's client; set once by {@link #main} before the first phase. */
  private static CuratorFramework consumerClient;
  /** Untimed run-in before each measured phase. */
  static final Duration WARM_UP = Duration.ofSeconds(2);
  /** Size of the JSON body of each delivery, in bytes: a typical GitHub pull_request payload. */
  static final int BODY_BYTES = 6_000;
  static final String SECRET = "bench-secret";

  /**
   * The ZooKeeper server's pid ({@code -Dbench.zkPid}, set by {@code bench/webhooks}), whose CPU per
   * create the table reports; without it those columns are NaN.
   */
  static final long ZOOKEEPER_PID = Long.getLong("bench.zkPid", -1);

  private WebhookBench() {}

  /**
   * Profiles this JVM in the last webhook phase when {@code -Dbench.profiler=<libasyncProfiler.so>}
   * names async-profiler's agent, attached over {@code jcmd JVMTI.agent_load} (output: {@code
   * -Dbench.profileOut}, collapsed stacks).
   */
  static void profiler(boolean now, String options) throws Exception {
    String agent = System.getProperty("bench.profiler");
    if (!now || agent == null) {
      return;
    }
    // Quoted: jcmd would read the options' "key=value" pairs as its own arguments.
    String answer = Jcmd.run(ProcessHandle.current().pid(), "JVMTI.agent_load", agent, "\"" + options + "\"");
    if (answer == null || !answer.contains("return code: 0")) {
      throw new java.io.IOException("jcmd " + options + ": " + answer);
    }
  }

  /**
   * One web node under test: how its registry client and its queue writer are set up, and whether it
   * takes webhooks through the servlet a WAR uses instead of the embedded server's core handler.
   */
  record Mode(String label, boolean netty, boolean batchWrites, boolean servlet) {}

  /**
   * The default first (batched writes); the WAR's servlet path; then each setting that changes the
   * write path: one create per event as zuul-web writes them, and ZooKeeper's Netty client.
   */
  static final List<Mode> MODES = List.of(new Mode("default", false, true, false),
      new Mode("servlet (as a WAR)", false, true, true), new Mode("batch_writes false", false, false, false),
      new Mode("client_socket netty", true, true, false));

  public static void main(String[] args) throws Exception {
    String hosts = args[0];
    Duration phase = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : DEFAULT_PHASE.toSeconds());
    Path result = args.length > 2 ? Path.of(args[2]) : null;
    WebhookSenders.Delivery delivery = delivery();
    List<AutoCloseable> open = new ArrayList<>();
    try (Transports transports = Transports.load(WebhookBench.class.getClassLoader(), null, TransportSettings.EMPTY);
        CuratorFramework raw = rawClient(hosts, false);
        CuratorFramework rawNetty = rawClient(hosts, true);
        CuratorFramework consumer = rawClient(hosts, false)) {
      consumerClient = consumer;
      List<Integer> webs = new ArrayList<>(); // the web nodes' ports
      List<WebServices> nodes = new ArrayList<>(); // their services (meters), in the same order
      Registry defaultRegistry = null;
      for (Mode m : MODES) {
        Registry registry = Registry.connect(RegistrySettings.builder(hosts).nettyClient(m.netty()).build());
        if (defaultRegistry == null) {
          defaultRegistry = registry;
        }
        WebServices services = new WebServices(WebSettings.builder().port(0).build(), registry, transports,
            connections(m.batchWrites()));
        open.addAll(List.of(registry, services)); // closed in reverse
        nodes.add(services);
        if (m.servlet()) {
          ServletWebNode web = new ServletWebNode(services);
          open.add(web);
          webs.add(web.port());
        } else {
          WebServer web = new WebServer(services);
          open.add(web);
          web.start();
          webs.add(web.port());
        }
      }
      // The writer alone, without HTTP: Zuul's event queue on the default node's registry client.
      EventQueues writer = new EventQueues(defaultRegistry, EventQueues.DEFAULT_PERSIST_TIMEOUT,
          WebhookConnections.DEFAULT_BATCH_WRITES);
      open.add(writer);
      // Size of one stored event: the queue node the endpoint writes.
      if (!WebhookSenders.newSender(webs.get(0), "github-1", delivery).send("probe")) {
        throw new IllegalStateException("the probe delivery was not stored");
      }
      String probeQueue = queue("github-1");
      byte[] rawNode = new byte[raw.getData().forPath(probeQueue + "/" + raw.getChildren().forPath(probeQueue).get(0)).length];
      Arrays.fill(rawNode, (byte) 'x');
      clear(raw, probeQueue);
      byte[] event = new byte[rawNode.length - "{\"event_data\": }".length()];
      Arrays.fill(event, (byte) '1'); // a JSON number: the writer stores it as it is

      StringBuilder out = new StringBuilder();
      out.append(String.format("Webhooks into ZooKeeper %s: %d-byte GitHub body, %d-byte queue node, %d s per phase "
          + "after %d s of JIT warm-up, %s senders; ratio: to the raw creates of a Curator client with the same "
          + "client socket; CPU per create or webhook in µs; %s%n", hosts, delivery.payload().length, rawNode.length,
          phase.toSeconds(), JIT_WARM_UP.toSeconds(), WebhookSenders.SENDER, CONSUME
              ? "each queue consumed while written, on a client of its own (zk and jvm CPU include the deletes)"
              : "each queue emptied after its phase"));
      out.append(String.format("%-8s %-22s %9s %5s %7s %7s %6s %5s %6s %8s%n", "senders", "", "per s", "503s", "p50 ms",
          "p99 ms", "ratio", "zk", "jvm", "store ms"));
      // In slices, each queue emptied after it, as a scheduler would: a queue at Zuul's limit of
      // 90,000 events refuses puts at once (503), which would warm up the refusal path instead.
      for (long warmed = 0; warmed < JIT_WARM_UP.toSeconds(); warmed += webs.size() * WARM_UP_SLICE.toSeconds()) {
        for (int w : webs) {
          WebhookSenders.run(w, "github-warm", delivery, 16, WARM_UP_SLICE);
          clear(raw, queue("github-warm"));
        }
      }
      for (CuratorFramework r : List.of(raw, rawNetty)) {
        rawCreates(r, "/bench/raw-warm", rawNode, 16, WARM_UP);
        clear(r, "/bench/raw-warm");
      }
      int printed = 0;
      StringBuilder alternating = new StringBuilder(String.format("%s against the nio anchor in %d alternating "
          + "rounds (raw creates, then webhooks to each node, side by side): per s, ratio to the round's anchor, "
          + "median ratio%n", String.join(", ", ALTERNATED), ANCHOR_ROUNDS));
      StringBuilder cpu = new StringBuilder("CPU of this JVM (senders, web tier, ZooKeeper clients) by thread, webhook phases:\n");
      for (int c : CONCURRENCY) {
        double[] rawRates = new double[2];
        for (int n = 0; n < 2; n++) {
          CuratorFramework r = n == 0 ? raw : rawNetty;
          ProcessCpu zk = new ProcessCpu(ZOOKEEPER_PID);
          ProcessCpu jvm = ProcessCpu.self();
          rawRates[n] = rawCreates(r, "/bench/raw-" + c, rawNode, c, phase);
          out.append(String.format("%-8d %-22s %9.0f %5s %7s %7s %6s %5.0f %6.0f%n", c,
              n == 0 ? "raw creates, nio" : "raw creates, netty", rawRates[n], "", "", "", "",
              zk.cores() / rawRates[n] * 1e6, jvm.cores() / rawRates[n] * 1e6));
          clear(r, "/bench/raw-" + c);
        }
        ProcessCpu zk = new ProcessCpu(ZOOKEEPER_PID);
        ProcessCpu jvm = ProcessCpu.self();
        double[] puts = consuming(queue("puts-" + c), () -> queuePuts(writer.connection("puts-" + c), event, c, phase));
        out.append(String.format("%-8d %-22s %9.0f %5s %7s %7s %6.2f %5.0f %6.0f %8.2f%n", c, "queue puts, no HTTP",
            puts[0], "", "", "", puts[0] / rawRates[0], zk.cores() / puts[0] * 1e6, jvm.cores() / puts[0] * 1e6,
            puts[1]));
        clear(raw, queue("puts-" + c));
        for (int m = 0; m < MODES.size(); m++) {
          boolean profile = m == 0 && c == CONCURRENCY[CONCURRENCY.length - 1];
          out.append(String.format("%-8d %-22s %s%n", c, MODES.get(m).label(), measure(webs.get(m), nodes.get(m), raw,
              "github-" + c, delivery, c, phase, rawRates[MODES.get(m).netty() ? 1 : 0], profile, cpu)));
        }
        alternating.append(alternate(raw, rawNode, alternated(webs), delivery, c, phase));
        System.out.print(out.substring(printed));
        printed = out.length();
      }
      out.append(alternating);
      out.append(String.format("load average at the end: %s%n", Files.readString(Path.of("/proc/loadavg")).trim()));
      out.append(cpu);
      System.out.println();
      System.out.print(out);
      if (result != null) {
        Files.createDirectories(result.getParent());
        Files.writeString(result, out.toString());
      }
    } finally {
      java.util.Collections.reverse(open);
      for (AutoCloseable c : open) {
        c.close();
      }
    }
  }

  /** The anchor: one Curator client, ZooKeeper's NIO socket or its Netty one. */
  static CuratorFramework rawClient(String hosts, boolean netty) throws InterruptedException {
    org.apache.zookeeper.client.ZKClientConfig config = new org.apache.zookeeper.client.ZKClientConfig();
    if (netty) {
      config.setProperty(org.apache.zookeeper.client.ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET,
          org.apache.zookeeper.ClientCnxnSocketNetty.class.getName());
    }
    CuratorFramework c = CuratorFrameworkFactory.builder().connectString(hosts).retryPolicy(new RetryOneTime(1000))
        .zkClientConfig(config).build();
    c.start();
    c.blockUntilConnected();
    return c;
  }

  /**
   * One webhook phase against the web node on {@code port}: its table cells, and its CPU by thread
   * appended to {@code cpu}. The last cell is the mean time from the put to ZooKeeper's confirmation
   * ({@code fingerpost_webhooks_persist_seconds}): the part of the ack latency spent storing.
   */
  static String measure(int port, WebServices node, CuratorFramework raw, String connection,
      WebhookSenders.Delivery delivery, int senders, Duration phase, double rawRate, boolean profile, StringBuilder cpu)
      throws Exception {
    ThreadCpu threads = new ThreadCpu();
    ProcessCpu zk = new ProcessCpu(ZOOKEEPER_PID);
    ProcessCpu jvm = ProcessCpu.self();
    Timer persist = node.prometheus().timer("fingerpost.webhooks.persist", "connection", connection);
    long stored = persist.count();
    double storing = persist.totalTime(TimeUnit.MILLISECONDS);
    profiler(profile, "start,event=cpu,interval=1ms");
    long[] lat = consuming(queue(connection), () -> WebhookSenders.run(port, connection, delivery, senders, phase));
    profiler(profile, "stop,collapsed,file=" + System.getProperty("bench.profileOut", "bench/results/webhooks.collapsed"));
    double zkCores = zk.cores();
    double jvmCores = jvm.cores();
    clear(raw, queue(connection));
    cpu.append(senders).append(" senders, port ").append(port).append(": ").append(threads.report(0.2)).append('\n');
    double rate = perSecond(lat, phase);
    double storeMs = (persist.totalTime(TimeUnit.MILLISECONDS) - storing) / (persist.count() - stored);
    Arrays.sort(lat);
    return String.format("%9.0f %5d %7.2f %7.2f %6.2f %5.0f %6.0f %8.2f", rate, WebhookSenders.refused.get(),
        pct(lat, 0.50), pct(lat, 0.99), rate / rawRate, zkCores / rate * 1e6, jvmCores / rate * 1e6, storeMs);
  }

  /** Webhooks per second: one latency sample per answer within {@code phase}. */
  static double perSecond(long[] latencies, Duration phase) {
    return latencies.length / (phase.toNanos() / 1e9);
  }

  static String queue(String connection) {
    return "/zuul/events/connection/" + connection + "/events/queue";
  }

  /** Connections github-warm and github-N for each concurrency N, with or without batch_writes. */
  static WebhookConnections connections(boolean batchWrites) {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    sections.put("connection github-warm", Map.of("driver", "github", "webhook_token", SECRET));
    for (int c : CONCURRENCY) {
      sections.put("connection github-" + c, Map.of("driver", "github", "webhook_token", SECRET));
    }
    sections.put("webhooks", Map.of("batch_writes", Boolean.toString(batchWrites)));
    return WebhookConnections.fromSections(sections);
  }

  /** A pull_request delivery of {@link #BODY_BYTES} and its two signatures. */
  static WebhookSenders.Delivery delivery() throws Exception {
    StringBuilder body = new StringBuilder("{\"action\": \"opened\", \"number\": 1, \"pull_request\": {\"body\": \"");
    while (body.length() < BODY_BYTES - 40) {
      body.append("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ");
    }
    body.append("\"}}");
    byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
    return new WebhookSenders.Delivery(payload, "sha256=" + hmac("HmacSHA256", payload),
        "sha1=" + hmac("HmacSHA1", payload));
  }

  private static String hmac(String algorithm, byte[] payload) throws Exception {
    Mac mac = Mac.getInstance(algorithm);
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), algorithm));
    return HexFormat.of().formatHex(mac.doFinal(payload));
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
    QueueConsumer.delete(zk, parent, zk.getChildren().forPath(parent));
  }

  /**
   * Puts into {@code queue} with {@code outstanding} in flight, each started when one completes: the
   * writer the endpoint uses, without HTTP. Returns {puts per second, mean ms from put to completion}.
   */
  static double[] queuePuts(ConnectionEventQueue queue, byte[] event, int outstanding, Duration phase)
      throws Exception {
    return closedLoop(outstanding, phase, done -> queue.put(event).whenComplete((path, failure) -> {
      if (failure != null) {
        failure.printStackTrace();
      }
      done.run();
    }));
  }

  /** A node of the alternating rounds: its {@link Mode#label} and its port. */
  record Alternated(String label, int port) {}

  /** The {@link #ALTERNATED} nodes, in that order ({@code webs}: the ports in {@link #MODES}' order). */
  static List<Alternated> alternated(List<Integer> webs) {
    List<String> labels = MODES.stream().map(m -> unspaced(m.label())).toList();
    List<Alternated> nodes = new ArrayList<>();
    for (String label : ALTERNATED) {
      int m = labels.indexOf(unspaced(label));
      if (m < 0) {
        throw new IllegalArgumentException("bench.alternate: no mode " + label);
      }
      nodes.add(new Alternated(MODES.get(m).label(), webs.get(m)));
    }
    return nodes;
  }

  private static String unspaced(String label) {
    return label.replace(" ", "");
  }

  /**
   * {@link #ANCHOR_ROUNDS} rounds at {@code senders}: raw creates from {@code raw}, then webhooks to
   * each of {@code nodes}. Returns the lines of the result, one per node: each round's rates and ratio
   * to that round's anchor, and the median ratio.
   */
  static String alternate(CuratorFramework raw, byte[] rawNode, List<Alternated> nodes,
      WebhookSenders.Delivery delivery, int senders, Duration phase) throws Exception {
    double[] anchor = new double[ANCHOR_ROUNDS];
    double[][] rates = new double[nodes.size()][ANCHOR_ROUNDS];
    long[] refused = new long[nodes.size()];
    String connection = "github-" + senders;
    for (int round = 0; round < ANCHOR_ROUNDS; round++) {
      anchor[round] = rawCreates(raw, "/bench/raw-" + senders, rawNode, senders, phase);
      clear(raw, "/bench/raw-" + senders);
      for (int n = 0; n < nodes.size(); n++) {
        int port = nodes.get(n).port();
        rates[n][round] = perSecond(consuming(queue(connection),
            () -> WebhookSenders.run(port, connection, delivery, senders, phase)), phase);
        refused[n] += WebhookSenders.refused.get(); // per run
        clear(raw, queue(connection));
      }
    }
    StringBuilder out = new StringBuilder();
    for (int n = 0; n < nodes.size(); n++) {
      out.append(String.format("%-8d %-22s", senders, nodes.get(n).label()));
      double[] ratios = new double[ANCHOR_ROUNDS];
      for (int round = 0; round < ANCHOR_ROUNDS; round++) {
        ratios[round] = rates[n][round] / anchor[round];
        out.append(String.format(" %.0f/%.0f %.2f;", anchor[round], rates[n][round], ratios[round]));
      }
      Arrays.sort(ratios);
      out.append(String.format(" median %.2f; 503s %d%n", ratios[ratios.length / 2], refused[n]));
    }
    return out.toString();
  }

  /** Persistent sequential creates from one Curator client, {@code outstanding} in flight; creates per second. */
  static double rawCreates(CuratorFramework raw, String parent, byte[] data, int outstanding, Duration phase)
      throws Exception {
    if (raw.checkExists().forPath(parent) == null) {
      raw.create().creatingParentsIfNeeded().forPath(parent);
    }
    return consuming(parent, () -> closedLoop(outstanding, phase, done -> raw.create()
        .withMode(CreateMode.PERSISTENT_SEQUENTIAL).inBackground((client, e) -> done.run())
        .forPath(parent + "/q", data)))[0];
  }

  /** Runs {@code phase} while a {@link QueueConsumer} empties {@code parent} (when {@link #CONSUME}). */
  static <T> T consuming(String parent, Callable<T> phase) throws Exception {
    if (!CONSUME || consumerClient == null) {
      return phase.call();
    }
    try (QueueConsumer c = new QueueConsumer(consumerClient, parent)) {
      return phase.call();
    }
  }

  /** An asynchronous operation: {@link #start} begins it, and it runs {@code done} when it ends. */
  interface Operation {
    void start(Runnable done) throws Exception;
  }

  /**
   * Keeps {@code outstanding} operations in flight, each started when one ends, for {@link #WARM_UP}
   * and then {@code phase}. Returns {operations per second, mean ms each} of those ending in the phase.
   */
  static double[] closedLoop(int outstanding, Duration phase, Operation operation) throws Exception {
    Semaphore window = new Semaphore(outstanding);
    AtomicLong done = new AtomicLong();
    AtomicLong nanos = new AtomicLong();
    long warmEnd = System.nanoTime() + WARM_UP.toNanos();
    long end = warmEnd + phase.toNanos();
    long counted = 0;
    long countedNanos = 0;
    long start = 0;
    while (true) {
      long now = System.nanoTime();
      if (start == 0 && now >= warmEnd) {
        start = now;
        counted = done.get();
        countedNanos = nanos.get();
      }
      if (now >= end) {
        break;
      }
      window.acquire();
      long t0 = System.nanoTime();
      operation.start(() -> {
        nanos.addAndGet(System.nanoTime() - t0);
        done.incrementAndGet();
        window.release();
      });
    }
    long finished = done.get() - counted;
    double meanMs = (nanos.get() - countedNanos) / 1e6 / finished;
    window.acquire(outstanding); // drain the window before the next phase
    return new double[] {finished / ((end - start) / 1e9), meanMs};
  }
}
