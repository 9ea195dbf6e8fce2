package org.fingerpost.webapp.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Inflater;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.fingerpost.registry.Registry;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.registry.events.PythonJson;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.Transports;
import org.fingerpost.webapp.WebServer;
import org.fingerpost.webapp.WebServices;
import org.fingerpost.webapp.WebSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/connection/<name>/payload} over real HTTP into a real ZooKeeper, with the
 * default settings ({@code batch_writes} on): signatures computed here, every refusal compared
 * against the whole {@code /zuul/events} tree, the Pagure token lookup against a local HTTP server, a
 * burst of concurrent deliveries.
 */
public class WebhookReceiverTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration AWAIT = Duration.ofSeconds(30);
  static final String GITHUB_SECRET = "gh-secret";
  static final String GITLAB_TOKEN = "gl-token";
  static final String PAGURE_STATIC = "pg-static";
  /** Smaller than the default so that the 413 case stays quick; still above the 3 MB event. */
  static final long MAX_BODY = 8L * 1024 * 1024;
  private static final byte[] CRLF = {'\r', '\n'};

  TestingServer zk;
  Registry registry;
  Transports transports;
  protected WebServices services;
  protected WebServer web;
  HttpServer pagure;
  final AtomicReference<String> pagureToken = new AtomicReference<>("pg-project-1");
  final AtomicInteger pagureLookups = new AtomicInteger();
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    zk = new TestingServer(new InstanceSpec((File) null, -1, -1, -1, true, -1, 100, -1), true);
    registry = Registry.connect(RegistrySettings.builder(zk.getConnectString())
        .sessionTimeout(Duration.ofSeconds(10)).connectionTimeout(Duration.ofSeconds(5)).build());
    pagure = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    pagure.createContext("/api/0/", exchange -> {
      pagureLookups.incrementAndGet();
      byte[] answer;
      int status;
      if (exchange.getRequestURI().getPath().equals("/api/0/fedora/zuul/webhook/token")
          && "token pg-api".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        status = 200;
        answer = ("{\"webhook\": {\"token\": \"" + pagureToken.get() + "\"}}").getBytes(StandardCharsets.UTF_8);
      } else {
        status = 401;
        answer = "{\"error\": \"Invalid or expired token\"}".getBytes(StandardCharsets.UTF_8);
      }
      exchange.sendResponseHeaders(status, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    pagure.start();
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    sections.put("connection github", Map.of("driver", "github", "webhook_token", GITHUB_SECRET));
    sections.put("connection gitlab.example", Map.of("driver", "gitlab", "webhook_token", GITLAB_TOKEN));
    sections.put("connection pagure", Map.of("driver", "pagure", "api_token", "pg-api",
        "baseurl", "http://127.0.0.1:" + pagure.getAddress().getPort() + "/"));
    sections.put("connection pagure-static", Map.of("driver", "pagure", "webhook_token", PAGURE_STATIC));
    sections.put("connection pagure-trusted", Map.of("driver", "pagure", "source_whitelist", "10.0.0.1, 127.0.0.1"));
    sections.put("connection gerrit", Map.of("driver", "gerrit"));
    sections.put("webhooks", webhooksSection());
    transports = Transports.load(getClass().getClassLoader(), null, TransportSettings.EMPTY);
    services = new WebServices(WebSettings.builder().port(0).build(), registry, transports,
        WebhookConnections.fromSections(sections));
    web = server(services);
    web.start();
  }

  /** Concurrent deliveries in one burst: each is its own node, stored once. */
  static final int BURST = 48;

  /** The web server under test: the embedded one, webhooks on Jetty's core API. */
  protected WebServer server(WebServices services) {
    return new WebServer(services);
  }

  /** The {@code webhooks} section of this test's configuration. */
  Map<String, String> webhooksSection() {
    return Map.of("max_body_bytes", Long.toString(MAX_BODY));
  }

  @AfterEach
  void stop() throws Exception {
    web.close();
    services.close();
    transports.close();
    registry.close();
    zk.close();
    pagure.stop(0);
  }

  HttpResponse<String> post(String connection, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port()
        + "/api/connection/" + connection + "/payload")).timeout(AWAIT)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The status line's start of the answer to a GitHub delivery declaring {@code length} bytes and
   * waiting for {@code 100 Continue} before it sends them (as curl does): a refusal by declared length
   * comes first, so the body is never sent (a client still sending could lose the answer to the close).
   */
  String answerToDeclaredLength(long length) throws Exception {
    try (Socket s = new Socket("127.0.0.1", web.port())) {
      s.setSoTimeout((int) AWAIT.toMillis());
      s.getOutputStream().write(("POST /api/connection/github/payload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/json\r\nX-Hub-Signature: sha1=00\r\nExpect: 100-continue\r\n"
          + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      return new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
    }
  }

  static String hmac(String algorithm, String secret, byte[] body) throws Exception {
    Mac mac = Mac.getInstance(algorithm);
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  List<JsonNode> queue(String connection) throws Exception {
    CuratorFramework c = registry.curator();
    String root = "/zuul/events/connection/" + connection + "/events/queue";
    List<JsonNode> out = new ArrayList<>();
    if (c.checkExists().forPath(root) == null) {
      return out;
    }
    List<String> names = new ArrayList<>(c.getChildren().forPath(root));
    names.sort(null);
    for (String n : names) {
      out.add(JSON.readTree(c.getData().forPath(root + "/" + n)));
    }
    return out;
  }

  TreeMap<String, String> tree() throws Exception {
    TreeMap<String, String> out = new TreeMap<>();
    if (registry.curator().checkExists().forPath("/zuul/events") != null) {
      walk("/zuul/events", out);
    }
    return out;
  }

  private void walk(String path, TreeMap<String, String> out) throws Exception {
    byte[] data = registry.curator().getData().forPath(path);
    out.put(path, data == null ? "" : Base64.getEncoder().encodeToString(data));
    for (String child : registry.curator().getChildren().forPath(path)) {
      walk(path + "/" + child, out);
    }
  }

  @Test
  void githubSha256DeliveryIsStoredAsZuulsWebServerStoresIt() throws Exception {
    byte[] body = bytes("{\"zen\": \"Caf\u00e9\", \"hook_id\": 1, \"action\": \"opened\"}");
    HttpResponse<String> r = post("github", body, "X-GitHub-Event", "pull_request",
        "X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958",
        "X-Hub-Signature-256", "sha256=" + hmac("HmacSHA256", GITHUB_SECRET, body));
    assertEquals(200, r.statusCode(), r.body());
    List<JsonNode> events = queue("github");
    assertEquals(1, events.size());
    JsonNode data = events.get(0).get("event_data");
    assertEquals("pull_request", data.get("headers").get("x-github-event").asText());
    assertEquals("72d3162e-cc78-11e3-81ab-4c9367dc0958", data.get("headers").get("x-github-delivery").asText());
    assertEquals(JSON.readTree(body), data.get("body"));
    // The node's bytes are json.dumps({"event_data": data}, sort_keys=True) of that data.
    String root = "/zuul/events/connection/github/events/queue";
    byte[] raw = registry.curator().getData().forPath(root + "/" + registry.curator().getChildren().forPath(root).get(0));
    assertEquals(new String(PythonJson.dumps(events.get(0)), StandardCharsets.US_ASCII),
        new String(raw, StandardCharsets.US_ASCII));
    assertTrue(new String(raw, StandardCharsets.US_ASCII).contains("\"Caf\\u00e9\""));
  }

  @Test
  void githubSha1DeliveryIsAccepted() throws Exception {
    byte[] body = bytes("{\"a\": [1, 2.5]}");
    HttpResponse<String> r = post("github", body, "X-GitHub-Event", "push",
        "X-Hub-Signature", "sha1=" + hmac("HmacSHA1", GITHUB_SECRET, body));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(1, queue("github").size());
  }

  @Test
  void keepAliveAndPipelinedDeliveriesAreEachAnsweredInOrder() throws Exception {
    StringBuilder requests = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      String body = "{\"n\": " + i + "}";
      requests.append("POST /api/connection/gitlab.example/payload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "X-Gitlab-Token: " + GITLAB_TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: "
          + body.length() + "\r\n\r\n" + body);
    }
    try (Socket s = new Socket("127.0.0.1", web.port())) {
      s.setSoTimeout((int) AWAIT.toMillis());
      // the first two one at a time, the last two in one write (pipelined)
      String[] all = requests.toString().split("(?=POST )");
      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
          StandardCharsets.US_ASCII));
      for (int i = 0; i < 4; i++) {
        if (i < 2) {
          s.getOutputStream().write(all[i].getBytes(StandardCharsets.US_ASCII));
        } else if (i == 2) {
          s.getOutputStream().write((all[2] + all[3]).getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals("HTTP/1.1 200 OK", in.readLine(), "delivery " + i);
        int length = -1;
        for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
          if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
            length = Integer.parseInt(line.substring(15).trim());
          }
        }
        char[] answer = new char[length];
        assertEquals(length, in.read(answer, 0, length));
        assertEquals("{\"message\": \"Event stored\"}", new String(answer));
      }
    }
    List<JsonNode> events = queue("gitlab.example");
    assertEquals(4, events.size());
    for (int i = 0; i < 4; i++) {
      assertEquals(i, events.get(i).get("event_data").get("payload").get("n").asInt(), "stored in order");
    }
  }

  @Test
  void gitlabAndPagureStoreThePayload() throws Exception {
    byte[] body = bytes("{\"object_kind\": \"merge_request\"}");
    assertEquals(200, post("gitlab.example", body, "X-Gitlab-Token", GITLAB_TOKEN).statusCode());
    assertEquals(JSON.readTree("{\"event_data\": {\"payload\": {\"object_kind\": \"merge_request\"}}}"),
        queue("gitlab.example").get(0));
    byte[] pg = bytes("{\"topic\": \"git.receive\", \"msg_id\": \"1\"}");
    assertEquals(200, post("pagure-static", pg, "X-Pagure-Signature", hmac("HmacSHA1", PAGURE_STATIC, pg),
        "X-Pagure-Project", "fedora/zuul").statusCode());
    assertEquals(JSON.readTree(pg), queue("pagure-static").get(0).get("event_data").get("payload"));
    // source_whitelist: no signature needed from a listed address
    assertEquals(200, post("pagure-trusted", pg).statusCode());
  }

  @Test
  void pagureProjectTokenIsFetchedCachedAndRefreshedOnce() throws Exception {
    byte[] body = bytes("{\"topic\": \"pull-request.new\", \"msg_id\": \"2\"}");
    assertEquals(200, post("pagure", body, "X-Pagure-Signature", hmac("HmacSHA1", "pg-project-1", body),
        "X-Pagure-Project", "fedora/zuul").statusCode());
    assertEquals(200, post("pagure", body, "X-Pagure-Signature", hmac("HmacSHA1", "pg-project-1", body),
        "X-Pagure-Project", "fedora/zuul").statusCode());
    assertEquals(1, pagureLookups.get(), "cached");
    pagureToken.set("pg-project-2"); // regenerated in Pagure
    assertEquals(200, post("pagure", body, "X-Pagure-Signature", hmac("HmacSHA1", "pg-project-2", body),
        "X-Pagure-Project", "fedora/zuul").statusCode());
    assertEquals(2, pagureLookups.get(), "fetched again after a mismatch");
    TreeMap<String, String> before = tree();
    HttpResponse<String> wrong = post("pagure", body, "X-Pagure-Signature", hmac("HmacSHA1", "nope", body),
        "X-Pagure-Project", "fedora/zuul");
    assertEquals(401, wrong.statusCode());
    HttpResponse<String> unknownProject = post("pagure", body, "X-Pagure-Signature", "00",
        "X-Pagure-Project", "other/project");
    assertEquals(503, unknownProject.statusCode(), "Pagure refused the lookup: cannot verify now");
    assertEquals(before, tree());
    assertEquals(3, queue("pagure").size());
  }

  @Test
  void everyRefusalWritesNothing() throws Exception {
    // make the queues' paths exist first, so that "nothing written" compares whole trees
    byte[] ok = bytes("{}");
    assertEquals(200, post("github", ok, "X-Hub-Signature", "sha1=" + hmac("HmacSHA1", GITHUB_SECRET, ok)).statusCode());
    assertEquals(200, post("gitlab.example", ok, "X-Gitlab-Token", GITLAB_TOKEN).statusCode());
    TreeMap<String, String> before = tree();
    byte[] body = bytes("{\"a\": 1}");
    String sha1 = "sha1=" + hmac("HmacSHA1", GITHUB_SECRET, body);
    byte[] notJson = bytes("{\"a\": ");
    Object[][] cases = {
        {"github", body, new String[] {}, 401, "X-Hub-Signature header missing."},
        {"github", body, new String[] {"X-Hub-Signature", "sha1=00"}, 401,
            "Request signature does not match calculated payload signature. Check that secret is correct."},
        {"github", body, new String[] {"X-Hub-Signature-256", "sha256=00", "X-Hub-Signature", sha1}, 401,
            "Request signature does not match calculated payload signature. Check that secret is correct."},
        {"github", notJson, new String[] {"X-Hub-Signature", "sha1=" + hmac("HmacSHA1", GITHUB_SECRET, notJson)}, 400, null},
        {"github", bytes("\uFEFF{}"), new String[] {"X-Hub-Signature", "sha1="
            + hmac("HmacSHA1", GITHUB_SECRET, bytes("\uFEFF{}"))}, 400, null},
        {"gitlab.example", body, new String[] {}, 401, "x-gitlab-token header missing."},
        {"gitlab.example", body, new String[] {"X-Gitlab-Token", "gl-token-"}, 401,
            "Token does not match the server side configured token"},
        {"pagure-static", body, new String[] {"X-Pagure-Project", "fedora/zuul"}, 401, "x-pagure-signature header missing."},
        {"pagure-static", body, new String[] {"X-Pagure-Signature", "00"}, 401, "x-pagure-project header missing."},
        {"nosuch", body, new String[] {}, 404, null},
        {"gerrit", body, new String[] {}, 404, null},
    };
    for (Object[] c : cases) {
      HttpResponse<String> r = post((String) c[0], (byte[]) c[1], (String[]) c[2]);
      String what = c[0] + " " + String.join(",", (String[]) c[2]);
      assertEquals(c[3], r.statusCode(), what + ": " + r.body());
      assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), what);
      if (c[4] != null) {
        assertEquals(c[4], JSON.readTree(r.body()).get("message").asText(), what);
      }
      assertEquals(before, tree(), what + " wrote nothing");
    }
    assertEquals("HTTP/1.1 413", answerToDeclaredLength(MAX_BODY + 1), "refused by its declared length");
    assertEquals(before, tree(), "the oversized body wrote nothing");
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    assertTrue(metrics.contains("fingerpost_webhooks_refused_total{connection=\"github\",reason=\"signature_mismatch\"} 2.0"),
        metrics);
    assertTrue(metrics.contains("fingerpost_webhooks_accepted_total{connection=\"github\"} 1.0"), metrics);
    assertTrue(metrics.contains("fingerpost_webhooks_persist_seconds_bucket{connection=\"github\""), metrics);
    assertTrue(metrics.contains("reason=\"unknown_connection\""), metrics);
  }

  @Test
  void otherMethodsPathsAndAnUndeclaredOversizedBodyAreRefusedAndWriteNothing() throws Exception {
    TreeMap<String, String> before = tree();
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port()
        + "/api/connection/github/payload")).timeout(AWAIT).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode(), get.body());
    assertEquals("POST", get.headers().firstValue("allow").orElse(""));
    assertEquals("Webhooks are POSTed", JSON.readTree(get.body()).get("message").asText());
    for (String path : new String[] {"/api/connection", "/api/connection/github", "/api/connection/github/payload/x"}) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path))
          .timeout(AWAIT).POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, r.statusCode(), path);
      assertEquals("Not found", JSON.readTree(r.body()).get("message").asText(), path);
    }
    assertEquals("HTTP/1.1 413", answerToChunkedBody(MAX_BODY + 1), "refused at the byte past the limit");
    assertEquals(before, tree(), "nothing written");
  }

  /**
   * The status line's start of the answer to a GitHub delivery whose {@code length} bytes come chunked
   * (no declared length); the body is written by another thread, which the server may cut off.
   */
  String answerToChunkedBody(long length) throws Exception {
    try (Socket s = new Socket("127.0.0.1", web.port())) {
      s.setSoTimeout((int) AWAIT.toMillis());
      CompletableFuture.runAsync(() -> {
        try {
          OutputStream out = s.getOutputStream();
          out.write(("POST /api/connection/github/payload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
              + "Content-Type: application/json\r\nX-Hub-Signature: sha1=00\r\nTransfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          byte[] chunk = new byte[64 * 1024];
          Arrays.fill(chunk, (byte) ' ');
          for (long sent = 0; sent < length; sent += chunk.length) {
            int n = (int) Math.min(chunk.length, length - sent);
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(chunk, 0, n);
            out.write(CRLF);
          }
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
          // the server answered and closed before the whole body was sent: what this case expects
        }
      });
      return new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
    }
  }

  @Test
  void threeMegabyteEventGoesThroughTheSideChannel() throws Exception {
    byte[] noise = new byte[3 * 1024 * 1024];
    new Random(7).nextBytes(noise);
    ObjectNode payload = JSON.createObjectNode().put("blob", Base64.getEncoder().encodeToString(noise));
    byte[] body = JSON.writeValueAsBytes(payload);
    HttpResponse<String> r = post("gitlab.example", body, "X-Gitlab-Token", GITLAB_TOKEN);
    assertEquals(200, r.statusCode(), r.body());
    JsonNode node = queue("gitlab.example").get(0);
    String sideChannel = node.get("event_data_path").asText();
    List<String> shards = new ArrayList<>(registry.curator().getChildren().forPath(sideChannel));
    shards.sort(null);
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (String s : shards) {
      stream.write(registry.curator().getData().forPath(sideChannel + "/" + s));
    }
    Inflater inflater = new Inflater();
    inflater.setInput(stream.toByteArray());
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    byte[] chunk = new byte[1 << 16];
    while (!inflater.finished()) {
      json.write(chunk, 0, inflater.inflate(chunk));
    }
    inflater.end();
    ObjectNode expected = JSON.createObjectNode();
    expected.set("payload", payload);
    assertEquals(new String(PythonJson.dumps(expected), StandardCharsets.US_ASCII), json.toString(StandardCharsets.US_ASCII));
  }

  @Test
  void zooKeeperDownIs503AtOnceAndWritesNothing() throws Exception {
    byte[] ok = bytes("{}");
    assertEquals(200, post("gitlab.example", ok, "X-Gitlab-Token", GITLAB_TOKEN).statusCode());
    TreeMap<String, String> before = tree();
    java.util.concurrent.CountDownLatch down = disconnection();
    zk.stop();
    assertTrue(down.await(AWAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
    long t0 = System.nanoTime();
    HttpResponse<String> r = post("gitlab.example", ok, "X-Gitlab-Token", GITLAB_TOKEN);
    assertEquals(503, r.statusCode(), r.body());
    assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() < 2_000, "at once");
    zk.restart();
    assertTrue(registry.awaitConnected(AWAIT));
    assertTrue(services.webhooks().eventQueues().awaitSettled(AWAIT));
    assertEquals(before, tree());
  }

  /** Counts down when the registry's client reports the connection suspended or lost. */
  java.util.concurrent.CountDownLatch disconnection() {
    java.util.concurrent.CountDownLatch down = new java.util.concurrent.CountDownLatch(1);
    registry.curator().getConnectionStateListenable().addListener((c, state) -> {
      if (!state.isConnected()) {
        down.countDown();
      }
    });
    return down;
  }

  @Test
  void zooKeeperKilledMidBurstEvery200HasItsNodeAndNothingElseDoes() throws Exception {
    int senders = 16;
    int perSender = 40;
    int killAfter = 150;
    java.util.Set<String> acked = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicInteger refused = new AtomicInteger();
    java.util.concurrent.CountDownLatch enough = new java.util.concurrent.CountDownLatch(killAfter);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(senders);
    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      int sender = s;
      done.add(pool.submit(() -> {
        for (int i = 0; i < perSender; i++) {
          String id = sender + "-" + i;
          byte[] body = bytes("{\"delivery\": \"" + id + "\"}");
          HttpResponse<String> r = post("github", body, "X-GitHub-Delivery", id, "X-GitHub-Event", "push",
              "X-Hub-Signature-256", "sha256=" + hmac("HmacSHA256", GITHUB_SECRET, body));
          if (r.statusCode() == 200) {
            acked.add(id);
            enough.countDown();
          } else {
            assertEquals(503, r.statusCode(), r.body());
            refused.incrementAndGet();
          }
        }
        return null;
      }));
    }
    assertTrue(enough.await(AWAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
    zk.stop(); // mid-burst: the senders keep going
    for (java.util.concurrent.Future<?> f : done) {
      f.get(AWAIT.toSeconds() * 2, java.util.concurrent.TimeUnit.SECONDS);
    }
    pool.shutdown();
    zk.restart();
    assertTrue(registry.awaitConnected(AWAIT));
    assertTrue(services.webhooks().eventQueues().awaitSettled(AWAIT),
        () -> "clean-ups done; unsettled " + services.webhooks().eventQueues().unsettled());
    java.util.Set<String> stored = new java.util.HashSet<>();
    for (JsonNode e : queue("github")) {
      assertTrue(stored.add(e.get("event_data").get("body").get("delivery").asText()), "no duplicates");
    }
    assertTrue(refused.get() > 0, "some deliveries hit the outage");
    assertEquals(new java.util.TreeSet<>(acked), new java.util.TreeSet<>(stored),
        "every 200 has its node, and nothing else does");
    assertTrue(registry.curator().getChildren().forPath("/zuul/events/connection/github/events/data").isEmpty());
  }

  @Test
  void aConcurrentBurstIsStoredEachDeliveryOnceInItsOwnNode() throws Exception {
    burst(BURST);
    Set<String> stored = new TreeSet<>();
    for (JsonNode e : queue("github")) {
      assertTrue(stored.add(e.get("event_data").get("body").get("delivery").asText()), "no duplicates");
    }
    assertEquals(BURST, stored.size(), "one node per delivery: " + stored);
  }

  /** Posts {@code deliveries} signed GitHub deliveries to {@code github} at once; each must be answered 200. */
  void burst(int deliveries) throws Exception {
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < deliveries; i++) {
      String id = "burst-" + i;
      byte[] body = bytes("{\"delivery\": \"" + id + "\"}");
      String signature = "sha256=" + hmac("HmacSHA256", GITHUB_SECRET, body);
      answers.add(CompletableFuture.supplyAsync(() -> {
        try {
          return post("github", body, "X-GitHub-Delivery", id, "X-GitHub-Event", "push",
              "X-Hub-Signature-256", signature);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<HttpResponse<String>> a : answers) {
      HttpResponse<String> r = a.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(200, r.statusCode(), r.body());
    }
  }
}
