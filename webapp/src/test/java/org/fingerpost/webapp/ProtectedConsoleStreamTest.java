package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.fingerpost.registry.tenants.KazooLock;
import org.fingerpost.testing.Await;
import org.fingerpost.webapp.auth.AuthSettings;
import org.fingerpost.webapp.auth.TestIssuer;
import org.fingerpost.webapp.auth.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read-protected tenant end to end: Zuul's rules written to ZooKeeper the way Zuul writes them
 * (sharded, zlib, under the kazoo write lock), HS256 / RS256 / OpenID Connect authenticators, a real
 * streamer, websocket and REST over loopback. Every refusal with its exact close code and reason.
 */
class ProtectedConsoleStreamTest {
  static final String TENANT = WebCluster.TENANT;
  static final String HS_ISS = "https://hs.example.com";
  static final String RS_ISS = "https://rs.example.com";
  static final String HS_SECRET = "zuulsecret"; // 80 bits, as in many zuul.conf files
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  static KeyPair rsa;
  /** The identity provider's signing key, served as kid "k1" from the start. */
  static KeyPair idpKey;
  static TestIssuer idp;
  static WebCluster cluster;
  static WebSocketClient ws;
  static HttpClient http;
  static ZuulConfWriter zuul;
  static String uuid;

  static Map<String, Object> abide(boolean protectTenant) {
    Map<String, Object> tenant = new LinkedHashMap<>(Map.of("name", TENANT, "authentication-realm", "corp"));
    if (protectTenant) {
      tenant.put("access-rules", List.of("readers"));
      tenant.put("admin-rules", List.of("admins"));
    }
    return Map.of(
        "tenants", Map.of(TENANT, tenant),
        "authz_rules", List.of(
            Map.of("name", "readers", "conditions", List.of(Map.of("groups", "{tenant.name}-readers"))),
            Map.of("name", "admins", "conditions", List.of(Map.of("zuul_uid", "root")))),
        "api_roots", List.of());
  }

  @BeforeAll
  static void start() throws Exception {
    setUp(true);
  }

  /** @param core the console stream on the embedded server's core websocket, else on the Jakarta endpoint */
  static void setUp(boolean core) throws Exception {
    rsa = TestTokens.rsa();
    idp = new TestIssuer();
    idpKey = TestTokens.rsa();
    idp.keys(TestTokens.jwk(idpKey, "k1"));
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    sections.put("auth zuul_operator", Map.of("driver", "HS256", "secret", HS_SECRET, "issuer_id", HS_ISS,
        "client_id", "zuul", "realm", "corp", "default", "true"));
    sections.put("auth rsa", Map.of("driver", "RS256", "public_key",
        TestTokens.publicKeyPem(rsa, dir.resolve("rs.pem")).toString(), "issuer_id", RS_ISS, "client_id", "zuul",
        "realm", "rsa"));
    sections.put("auth sso", Map.of("driver", "OpenIDConnect", "issuer_id", idp.issuer(), "client_id", "zuul",
        "realm", "sso", "uid_claim", "preferred_username"));
    sections.put("access", Map.of("rules_wait", "20"));
    AuthSettings auth = AuthSettings.fromSections(sections).withHttpClient(idp.client());
    http = HttpClient.newHttpClient();
    cluster = core ? new WebCluster(dir.resolve("jobs"), b -> { }, auth)
        : WebCluster.startJakarta(dir.resolve("jobs"), b -> { }, auth);
    zuul = new ZuulConfWriter(cluster.registry.curator(), 100);
    zuul.write(abide(true));
    Await.until("web node sees the protected tenant", () -> readProtected());
    ws = WsClient.newClient();
    uuid = WebCluster.newBuildId();
    cluster.startBuild(uuid, "secret log line\n".getBytes(StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() throws Exception {
    ws.stop();
    cluster.close();
    idp.close();
  }

  static boolean readProtected() {
    try {
      HttpResponse<String> r = get("/api/tenant/" + TENANT + "/info", null);
      return JSON.readTree(r.body()).at("/info/capabilities/auth/read_protected").asBoolean();
    } catch (Exception e) {
      return false;
    }
  }

  static JWTClaimsSet.Builder claims(String iss, String sub, List<String> groups) {
    return TestTokens.claims(iss, "zuul", sub, Map.of("groups", groups));
  }

  static String reader() {
    return TestTokens.hs256(HS_SECRET, claims(HS_ISS, "alice", List.of(TENANT + "-readers")).build());
  }

  static WsClient.Close refusal(String firstMessage) throws Exception {
    WsClient c = WsClient.connect(ws, cluster.consoleStream(TENANT));
    c.send(firstMessage);
    return c.awaitClose();
  }

  static String request(String token) {
    return "{\"uuid\": \"" + uuid + "\", \"logfile\": \"console.log\""
        + (token == null ? "" : ", \"token\": \"" + token + "\"") + "}";
  }

  static void assertStreams(WsClient c) {
    Await.until("the log arrives", () -> c.text.toString().contains("secret log line"));
    c.close();
  }

  @Test
  void everyRefusalHasZuulsCloseCodeAndReason() throws Exception {
    assertEquals(new WsClient.Close(4000, "MissingAuthError"), refusal(request(null)));
    assertEquals(new WsClient.Close(4000, "AuthTokenUndecodedException"), refusal(request("garbage")));
    assertEquals(new WsClient.Close(4000, "TokenExpiredError"), refusal(request(TestTokens.hs256(HS_SECRET,
        claims(HS_ISS, "alice", List.of(TENANT + "-readers"))
            .expirationTime(Date.from(Instant.now().minusSeconds(10))).build()))));
    assertEquals(new WsClient.Close(4000, "AuthTokenInvalidSignatureException"), refusal(request(
        TestTokens.hs256("wrong", claims(HS_ISS, "alice", List.of(TENANT + "-readers")).build()))));
    assertEquals(new WsClient.Close(4000, "IssuerUnknownError"), refusal(request(
        TestTokens.hs256(HS_SECRET, claims("https://elsewhere", "alice", List.of()).build()))));
    assertEquals(new WsClient.Close(4000, "IncorrectAudienceError"), refusal(request(TestTokens.hs256(HS_SECRET,
        TestTokens.claims(HS_ISS, "other-app", "alice", Map.of()).build()))));
    assertEquals(new WsClient.Close(4000, "MissingClaimError"), refusal(request(TestTokens.hs256(HS_SECRET,
        claims(HS_ISS, null, List.of()).build()))));
    assertEquals(new WsClient.Close(4000, "UnauthorizedZuulAdminClaimError"), refusal(request(TestTokens.hs256(
        HS_SECRET, claims(HS_ISS, "mallory", List.of()).claim("zuul", Map.of("admin", List.of(TENANT))).build()))));
    assertEquals(new WsClient.Close(4000, "Authorization error"), refusal(request(
        TestTokens.hs256(HS_SECRET, claims(HS_ISS, "bob", List.of("other-readers")).build()))));
    assertEquals(new WsClient.Close(4000, "IncorrectZuulAdminClaimError"), refusal(request(TestTokens.hs256(
        HS_SECRET, claims(HS_ISS, "mallory", List.of()).claim("zuul", Map.of("admin", TENANT)).build()))));
    assertEquals(new WsClient.Close(4000, "AuthTokenUnauthorizedException"), refusal(request(TestTokens.hs256(
        HS_SECRET, claims(HS_ISS, "alice", List.of()).issueTime(Date.from(Instant.now().plusSeconds(60))).build()))));
    assertEquals(new WsClient.Close(4000, "JWKSException"), refusal(request(TestTokens.rs256(
        (RSAPrivateKey) idpKey.getPrivate(), null, TestTokens.claims(idp.issuer(), "zuul", "x", Map.of()).build()))));
    assertEquals(new WsClient.Close(4000, "MissingUIDClaimError"), refusal(request(TestTokens.rs256(
        (RSAPrivateKey) idpKey.getPrivate(), "k1", TestTokens.claims(idp.issuer(), "zuul", "x", Map.of())
            .build()))));
  }

  @Test
  void unknownRulesCloseTheTenant() throws Exception {
    // A web node that cannot read the rules (Zuul holds its write lock) and waits no time for them.
    try (KazooLock lock = zuul.lock()) {
      zuul.truncate();
      WebServices blind = new WebServices(WebSettings.builder().port(0).build(), cluster.registry, cluster.transports,
          AuthSettings.fromSections(Map.of("access", Map.of("rules_wait", "0"))));
      try (WebServer server = new WebServer(blind)) {
        server.start();
        WsClient c = WsClient.connect(ws, java.net.URI.create("ws://127.0.0.1:" + server.port() + "/api/tenant/"
            + TENANT + "/console-stream"));
        c.send(request(reader()));
        assertEquals(new WsClient.Close(4011, "Access rules unavailable"), c.awaitClose());
        HttpResponse<String> rest = http.send(HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
            + server.port() + "/api/tenant/" + TENANT + "/build/" + uuid + "/stream")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(503, rest.statusCode());
      } finally {
        blind.close();
      }
      zuul.shards(ZuulConfWriter.compress(abide(true)));
    }
  }

  @Test
  void validTokensOfEachDriverStream() throws Exception {
    WsClient hs = WsClient.connect(ws, cluster.consoleStream(TENANT));
    hs.send(request(reader()));
    assertStreams(hs);

    String rs = TestTokens.rs256((RSAPrivateKey) rsa.getPrivate(), null,
        claims(RS_ISS, "carol", List.of(TENANT + "-readers")).build());
    WsClient viaHeader = WsClient.connect(ws, cluster.consoleStream(TENANT), "Bearer " + rs);
    viaHeader.send(request(null));
    assertStreams(viaHeader);

    String oidc = TestTokens.rs256((RSAPrivateKey) idpKey.getPrivate(), "k1", TestTokens.claims(idp.issuer(), "zuul",
        "uuid-of-root", Map.of("preferred_username", "root")).build());
    WsClient admin = WsClient.connect(ws, cluster.consoleStream(TENANT));
    admin.send(request(oidc)); // no group, but an admin rule on zuul_uid (preferred_username) matches
    assertStreams(admin);
  }

  @Test
  void restRefusesLikeZuul() throws Exception {
    String path = "/api/tenant/" + TENANT + "/build/" + uuid + "/stream";
    HttpResponse<String> none = get(path, null);
    assertEquals(401, none.statusCode());
    assertEquals("Bearer realm=\"corp\" error=\"BearerTokenRequiredError\" error_description=\"Authorization with "
        + "bearer token required\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
    HttpResponse<String> expired = get(path, TestTokens.hs256(HS_SECRET, claims(HS_ISS, "alice", List.of())
        .expirationTime(Date.from(Instant.now().minusSeconds(10))).build()));
    assertEquals(401, expired.statusCode());
    assertTrue(expired.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"TokenExpiredError\""));
    HttpResponse<String> forbidden = get(path, TestTokens.hs256(HS_SECRET, claims(HS_ISS, "bob", List.of()).build()));
    assertEquals(403, forbidden.statusCode());
    assertEquals("", forbidden.body());
    HttpResponse<String> ok = get(path, reader());
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(uuid, JSON.readTree(ok.body()).get("uuid").asText());

    JsonNode info = JSON.readTree(get("/api/info", null).body());
    assertFalse(info.at("/info/capabilities/auth/read_protected").asBoolean(), info.toString());
    assertEquals("corp", info.at("/info/capabilities/auth/default_realm").asText());
    assertEquals("HS256", info.at("/info/capabilities/auth/realms/corp/driver").asText());
    JsonNode tenantInfo = JSON.readTree(get("/api/tenant/" + TENANT + "/info", null).body());
    assertTrue(tenantInfo.at("/info/capabilities/auth/read_protected").asBoolean());
    assertEquals(200, get("/api/components", null).statusCode(), "no api-root rules: open");
  }

  /** The running builds and the build route under /fingerpost/ are guarded like the old paths. */
  @Test
  void fingerpostPathsRefuseLikeZuul() throws Exception {
    for (String path : List.of("/fingerpost/api/tenant/" + TENANT + "/builds",
        "/fingerpost/api/tenant/" + TENANT + "/build/" + uuid + "/stream")) {
      HttpResponse<String> none = get(path, null);
      assertEquals(401, none.statusCode(), path);
      assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"BearerTokenRequiredError\""));
      assertFalse(none.body().contains(uuid), "nothing of the build leaks: " + none.body());
      HttpResponse<String> forbidden = get(path, TestTokens.hs256(HS_SECRET, claims(HS_ISS, "bob", List.of()).build()));
      assertEquals(403, forbidden.statusCode(), path);
      assertEquals("", forbidden.body());
    }
    Await.until("the reader sees the running build", () -> {
      try {
        return get("/fingerpost/api/tenant/" + TENANT + "/builds", reader()).body().contains(uuid);
      } catch (Exception e) {
        return false;
      }
    });
    assertEquals(200, get("/fingerpost/api/tenant/" + TENANT + "/builds", reader()).statusCode());
  }

  @Test
  void metricsCountByReasonAndRealm() throws Exception {
    refusal(request(TestTokens.hs256(HS_SECRET, claims(HS_ISS, "alice", List.of())
        .expirationTime(Date.from(Instant.now().minusSeconds(10))).build())));
    WsClient ok = WsClient.connect(ws, cluster.consoleStream(TENANT));
    ok.send(request(reader()));
    assertStreams(ok);
    String metrics = get("/metrics", null).body();
    assertTrue(metrics.contains("fingerpost_web_authentications_total{realm=\"corp\",reason=\"TokenExpiredError\","
        + "result=\"refused\"}"), metrics);
    assertTrue(metrics.contains("fingerpost_web_authentications_total{realm=\"corp\",reason=\"ok\",result=\"accepted\"}"));
    assertTrue(metrics.contains("fingerpost_web_authorizations_total{result=\"granted\"}"));
    assertFalse(metrics.contains(reader()), "tokens are never exposed");
  }

  @Test
  void aViewerWaitingForUnknownRulesGetsTheDecisionOfTheCompleteWrite() throws Exception {
    // A second web node starts while Zuul is mid-write: lock held, shards truncated.
    try (KazooLock lock = zuul.lock()) {
      zuul.truncate();
      WebServices late = new WebServices(WebSettings.builder().port(0).build(), cluster.registry, cluster.transports,
          AuthSettings.fromSections(Map.of("auth zuul_operator", Map.of("driver", "HS256", "secret", HS_SECRET,
              "issuer_id", HS_ISS, "client_id", "zuul", "realm", "corp"))));
      try (WebServer server = new WebServer(late)) {
        server.start();
        java.net.URI uri = java.net.URI.create("ws://127.0.0.1:" + server.port() + "/api/tenant/" + TENANT
            + "/console-stream");
        WsClient anonymous = WsClient.connect(ws, uri);
        anonymous.send(request(null));
        WsClient withToken = WsClient.connect(ws, uri);
        withToken.send(request(reader()));
        assertFalse(anonymous.closed.isDone(), "undecided while the rules are unknown");
        // Zuul finishes its write and releases the lock.
        zuul.shards(ZuulConfWriter.compress(abide(true)));
        lock.release();
        assertEquals(new WsClient.Close(4000, "MissingAuthError"), anonymous.awaitClose());
        assertStreams(withToken);
      } finally {
        late.close();
      }
    }
  }

  @Test
  void rulesChangedByZuulApplyToTheNextViewer() throws Exception {
    try {
      zuul.write(abide(false));
      Await.until("tenant opened", () -> !readProtected());
      WsClient anyone = WsClient.connect(ws, cluster.consoleStream(TENANT));
      anyone.send(request(null));
      assertStreams(anyone);
    } finally {
      zuul.write(abide(true));
      Await.until("tenant protected again", ProtectedConsoleStreamTest::readProtected);
    }
    assertEquals(new WsClient.Close(4000, "MissingAuthError"), refusal(request(null)));
  }

  static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(cluster.http(path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
