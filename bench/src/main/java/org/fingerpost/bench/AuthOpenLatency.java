package org.fingerpost.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.streamer.Streamer;
import org.fingerpost.streamer.StreamerSettings;
import org.fingerpost.testing.Await;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;
import org.fingerpost.webapp.WebServer;
import org.fingerpost.webapp.WebServices;
import org.fingerpost.webapp.WebSettings;
import org.fingerpost.webapp.auth.AuthSettings;

/**
 * Console-stream open latency with and without read protection, in one run: three web nodes on one
 * registry and streamer, serving the same build of the same tenant — open (no token checked), HS256
 * and RS256 (read-protected by a {@code main.yaml}-style rules file, a valid token in the first
 * message). Each open is timed from the websocket connect to the first log text received; the three
 * modes alternate open by open, so machine noise hits them alike. The token is checked once per open,
 * never per chunk, so the open is where its cost shows.
 *
 * <p>Usage: {@code AuthOpenLatency [opens per mode (2000)] [warm-up opens per mode (300)] [workDir] [resultFile]}.
 */
public final class AuthOpenLatency {
  static final String TENANT = "bench";
  static final String HS_ISS = "https://hs.bench";
  static final String RS_ISS = "https://rs.bench";
  /** 256 bits: the RFC 7518 minimum (shorter ones work too, see docs/web-tier.md). */
  static final String HS_SECRET = "0123456789abcdef0123456789abcdef";
  /** Longest time one open may take before the run fails. */
  static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);

  private AuthOpenLatency() {}

  record Mode(String name, URI uri, String token) {}

  public static void main(String[] args) throws Exception {
    int opens = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    Path work = Files.createDirectories(Path.of(args.length > 2 ? args[2] : "bench/work")
        .resolve("auth-" + ProcessHandle.current().pid()));
    Path result = args.length > 3 ? Path.of(args[3]) : null;

    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair rsa = g.generateKeyPair();
    Path pem = work.resolve("rs.pem");
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(rsa.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    Path openRules = work.resolve("open.yaml");
    Files.writeString(openRules, "- tenant:\n    name: " + TENANT + "\n");
    Path protectedRules = work.resolve("protected.yaml");
    Files.writeString(protectedRules, "- authorization-rule:\n    name: readers\n    conditions:\n"
        + "      - groups: '{tenant.name}-readers'\n- tenant:\n    name: " + TENANT + "\n    access-rules: readers\n");

    Path jobs = Files.createDirectories(work.resolve("jobs"));
    String uuid = UUID.randomUUID().toString().replace("-", "");
    Path log = jobs.resolve(uuid).resolve("work/logs/job-output.txt");
    Files.createDirectories(log.getParent());
    Files.writeString(log, "first line of the log\n");

    List<AutoCloseable> closing = new ArrayList<>();
    try (LocalZooKeeper zk = LocalZooKeeper.start(work.resolve("zk"), 0);
        Registry registry = Registry.connect(RegistrySettings.builder(zk.connectString()).build())) {
      try {
        run(registry, jobs, uuid, pem, openRules, protectedRules, rsa, opens, warmup, result, closing);
      } finally {
        for (int i = closing.size() - 1; i >= 0; i--) {
          closing.get(i).close(); // before the registry they use
        }
      }
    }
  }

  private static void run(Registry registry, Path jobs, String uuid, Path pem, Path openRules, Path protectedRules,
      KeyPair rsa, int opens, int warmup, Path result, List<AutoCloseable> closing) throws Exception {
    {
      Streamer streamer = new Streamer(StreamerSettings.builder().listenAddress("127.0.0.1").port(0)
          .hostname("127.0.0.1").jobDir(jobs).tenant(TENANT).build(), registry);
      streamer.start();
      closing.add(streamer);
      Transports transports = Transports.load(AuthOpenLatency.class.getClassLoader(), null, TransportSettings.EMPTY);
      closing.add(transports);
      Map<String, Map<String, String>> authSections = Map.of(
          "auth hs", Map.of("driver", "HS256", "secret", HS_SECRET, "issuer_id", HS_ISS, "client_id", "zuul",
              "realm", "hs"),
          "auth rs", Map.of("driver", "RS256", "public_key", pem.toString(), "issuer_id", RS_ISS,
              "client_id", "zuul", "realm", "rs"));
      URI open = node(registry, transports, closing, Map.of("access", Map.of("tenant_config", openRules.toString())))
          .uri();
      Map<String, Map<String, String>> prot = new java.util.LinkedHashMap<>(authSections);
      prot.put("access", Map.of("tenant_config", protectedRules.toString()));
      Node protectedOne = node(registry, transports, closing, prot);
      URI protectedNode = protectedOne.uri();
      WebServices checker = protectedOne.services();
      List<Session> holders = new ArrayList<>();

      JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().audience("zuul").subject("bench")
          .claim("groups", List.of(TENANT + "-readers")).issueTime(Date.from(Instant.now().minusSeconds(5)))
          .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(2))));
      SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.issuer(HS_ISS).build());
      hs.sign(new MACSigner(HS_SECRET.getBytes(StandardCharsets.UTF_8)));
      SignedJWT rs = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.issuer(RS_ISS).build());
      rs.sign(new RSASSASigner(rsa.getPrivate()));
      List<Mode> modes = List.of(new Mode("no auth", open, null), new Mode("HS256", protectedNode, hs.serialize()),
          new Mode("RS256", protectedNode, rs.serialize()));

      // The streamer must have published the build before the first open.
      String node = "/zuul/executor/unzoned/requests/" + uuid;
      Await.until("build published", Duration.ofSeconds(30), () -> registry.curator().checkExists().forPath(node) != null);

      WebSocketClient client = new WebSocketClient();
      client.start();
      try {
        // One viewer per node stays for the whole run, so the build's shared upstream stays open and
        // every measured open is served from the web node's window: the open path of the web tier
        // itself (upgrade, first message, token check, routing) is what is timed, not a new finger
        // connection to the streamer each time.
        for (Mode m : modes) {
          holders.add(hold(client, m, uuid));
        }
        long[][] samples = new long[modes.size()][opens];
        for (int i = 0; i < warmup + opens; i++) {
          for (int m = 0; m < modes.size(); m++) {
            long nanos = openOnce(client, modes.get(m), uuid);
            if (i >= warmup) {
              samples[m][i - warmup] = nanos;
            }
          }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format("Console-stream open latency (connect -> first log text), %d opens per mode after "
            + "%d warm-up opens, modes alternating; one JVM, loopback, %d cores%n", opens, warmup,
            Runtime.getRuntime().availableProcessors()));
        out.append(String.format("%-8s %10s %10s %10s %14s%n", "mode", "p50 ms", "p99 ms", "max ms", "p99 added ms"));
        double baseP99 = percentile(samples[0], 0.99);
        for (int m = 0; m < modes.size(); m++) {
          double p99 = percentile(samples[m], 0.99);
          out.append(String.format("%-8s %10.3f %10.3f %10.3f %14s%n", modes.get(m).name(),
              percentile(samples[m], 0.50), p99, percentile(samples[m], 1.0),
              m == 0 ? "-" : String.format("%.3f", p99 - baseP99)));
        }
        out.append(String.format("%nToken check alone (AccessControl.authorize on the calling thread), %d checks per "
            + "mode after %d warm-up checks:%n", opens * 10, warmup * 10));
        out.append(String.format("%-8s %10s %10s%n", "mode", "p50 us", "p99 us"));
        for (int m = 1; m < modes.size(); m++) {
          long[] checks = new long[opens * 10];
          for (int i = 0; i < warmup * 10 + checks.length; i++) {
            long t0 = System.nanoTime();
            if (!checker.access().authorize(TENANT, modes.get(m).token(), "MissingAuthError").granted()) {
              throw new IllegalStateException("token refused");
            }
            if (i >= warmup * 10) {
              checks[i - warmup * 10] = System.nanoTime() - t0;
            }
          }
          out.append(String.format("%-8s %10.1f %10.1f%n", modes.get(m).name(), percentile(checks, 0.5) * 1000,
              percentile(checks, 0.99) * 1000));
        }
        System.out.print(out);
        if (result != null) {
          Files.createDirectories(result.toAbsolutePath().getParent());
          Files.writeString(result, out.toString());
        }
      } finally {
        for (Session h : holders) {
          h.close();
        }
        client.stop();
      }
    }
  }

  record Node(URI uri, WebServices services) {}

  private static Node node(Registry registry, Transports transports, List<AutoCloseable> closing,
      Map<String, Map<String, String>> auth) throws Exception {
    // Every websocket comes from this host: no per-client lookup rate (issue 15's is for the field).
    WebServices services = new WebServices(WebSettings.builder().listenAddress("127.0.0.1").port(0)
        .consoleStreams(org.fingerpost.webapp.ConsoleStreamPolicy.of(List.of(),
            org.fingerpost.streams.LookupRateLimit.none())).build(),
        registry, transports, AuthSettings.fromSections(auth));
    closing.add(services);
    WebServer server = new WebServer(services);
    server.start();
    closing.add(server);
    return new Node(URI.create("ws://127.0.0.1:" + server.port() + "/api/tenant/" + TENANT + "/console-stream"),
        services);
  }

  /** A viewer that stays: connected, first text received. */
  static Session hold(WebSocketClient client, Mode mode, String uuid) throws Exception {
    FirstText listener = new FirstText();
    Session session = client.connect(listener, mode.uri()).get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    session.sendText(request(mode, uuid), Callback.NOOP);
    listener.first.get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return session;
  }

  static String request(Mode mode, String uuid) {
    return "{\"uuid\": \"" + uuid + "\", \"logfile\": \"console.log\""
        + (mode.token() == null ? "" : ", \"token\": \"" + mode.token() + "\"") + "}";
  }

  /** One open: connect, first message (with the token), wait for the first text; nanoseconds. */
  static long openOnce(WebSocketClient client, Mode mode, String uuid) throws Exception {
    FirstText listener = new FirstText();
    CompletableFuture<String> first = listener.first;
    long start = System.nanoTime();
    Session session = client.connect(listener, mode.uri()).get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    session.sendText(request(mode, uuid), Callback.NOOP);
    first.get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    long nanos = System.nanoTime() - start;
    session.close();
    return nanos;
  }

  /** Completes with the first text message (Jetty needs a public listener class). */
  public static final class FirstText implements Session.Listener.AutoDemanding {
    final CompletableFuture<String> first = new CompletableFuture<>();

    @Override
    public void onWebSocketText(String message) {
      first.complete(message);
    }

    @Override
    public void onWebSocketClose(int code, String reason) {
      first.completeExceptionally(new IllegalStateException("closed " + code + " " + reason));
    }
  }

  static double percentile(long[] nanos, double p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
  }
}
