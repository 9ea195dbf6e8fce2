package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.fingerpost.testing.Await;
import org.fingerpost.webapp.auth.AuthSettings;
import org.fingerpost.webapp.auth.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live-log page on a read-protected tenant, in headless Chromium: it asks for a token, streams
 * with it, reconnects with it, never puts it in the address, and uses the token Zuul's web UI keeps
 * for the same origin.
 */
class ProtectedLiveLogPageTest {
  static final String ISS = "https://hs.example.com";
  static final String SECRET = "zuulsecret";
  static final String LOG_TEXT = "return document.getElementById('log').textContent;";
  static final String STATE = "return document.body.getAttribute('data-state');";
  static final String LOGIN_SHOWN = "return String(!document.getElementById('login').hidden);";

  @TempDir
  static Path dir;
  @TempDir
  static Path browserDir;
  static WebCluster cluster;
  static HeadlessChromium browser;

  @BeforeAll
  static void start() throws Exception {
    browser = HeadlessChromium.start(browserDir);
    cluster = new WebCluster(dir, b -> { }, AuthSettings.fromSections(Map.of("auth zuul", Map.of("driver", "HS256",
        "secret", SECRET, "issuer_id", ISS, "client_id", "zuul", "realm", "corp"))));
    new ZuulConfWriter(cluster.registry.curator(), 1000).write(ProtectedConsoleStreamTest.abide(true));
    Await.until("tenant protected", () -> !cluster.services.access().authenticators().isEmpty()
        && cluster.services.access().needsCheck(WebCluster.TENANT)
        && cluster.services.access().capabilities(WebCluster.TENANT).get("read_protected").equals(true));
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static String token(List<String> groups, Instant expires) {
    return TestTokens.hs256(SECRET, TestTokens.claims(ISS, "zuul", "alice", Map.of("groups", groups))
        .expirationTime(Date.from(expires)).build());
  }

  static void submitToken(String token) throws Exception {
    browser.eval("document.getElementById('token').value = '" + token + "';"
        + " document.getElementById('login').requestSubmit();");
  }

  @Test
  void asksForATokenStreamsWithItAndReconnectsWithIt() throws Exception {
    String uuid = WebCluster.newBuildId();
    Path file = cluster.startBuild(uuid, "protected line\n".getBytes(StandardCharsets.UTF_8));
    browser.open(cluster.http("/t/" + WebCluster.TENANT + "/build/" + uuid));
    browser.eval("window.sessionStorage.clear(); window.localStorage.clear(); location.reload();");
    Await.until("asks for a token", () -> browser.evalString(LOGIN_SHOWN).equals("true"));
    assertEquals("auth", browser.evalString(STATE));
    assertEquals("", browser.evalString(LOG_TEXT));

    // A token without the group: refused with Zuul's reason, asked again.
    submitToken(token(List.of("others"), Instant.now().plusSeconds(3600)));
    Await.until("denied", () -> browser.evalString(STATE).equals("auth")
        && browser.evalString("return document.getElementById('status').textContent;").equals("Authorization error"));

    String good = token(List.of(WebCluster.TENANT + "-readers"), Instant.now().plusSeconds(3600));
    submitToken(good);
    Await.until("log shown", () -> browser.evalString(LOG_TEXT).equals("protected line\n"));
    assertFalse(browser.evalString("return location.href;").contains(good), "the token is never in the address");
    assertFalse(browser.evalString("return document.documentElement.outerHTML;").contains(good));

    cluster.restartWeb(); // the page reconnects, with the token
    WebCluster.append(file, "after the drop\n".getBytes(StandardCharsets.UTF_8));
    Await.until("streams after reconnecting", () -> browser.evalString(LOG_TEXT).equals("protected line\nafter the drop\n"));
    assertEquals("streaming", browser.evalString(STATE));
    cluster.endBuild(uuid);
    Await.until("end", () -> browser.evalString(STATE).equals("ended"));
  }

  @Test
  void usesTheTokenZuulsWebUiKeepsForThisOrigin() throws Exception {
    String uuid = WebCluster.newBuildId();
    cluster.startBuild(uuid, "via zuul's login\n".getBytes(StandardCharsets.UTF_8));
    browser.open(cluster.http("/t/" + WebCluster.TENANT + "/build/" + uuid));
    String good = token(List.of(WebCluster.TENANT + "-readers"), Instant.now().plusSeconds(3600));
    browser.eval("window.sessionStorage.clear(); window.localStorage.clear();"
        + " window.sessionStorage.setItem('oidc.user:https://idp.example.com/realms/zuul:zuul', JSON.stringify("
        + "{access_token: '" + good + "', expires_at: Math.floor(Date.now() / 1000) + 3600}));"
        + " location.reload();");
    Await.until("log shown without asking", () -> browser.evalString(LOG_TEXT).equals("via zuul's login\n"));
    assertEquals("false", browser.evalString(LOGIN_SHOWN));
    cluster.endBuild(uuid);
    Await.until("end", () -> browser.evalString(STATE).equals("ended"));
  }

  /** The landing page's running builds of a protected tenant: asked for a token, then listed. */
  @Test
  void runningBuildsOfAProtectedTenantNeedAToken() throws Exception {
    String uuid = WebCluster.newBuildId();
    cluster.startBuild(uuid, "listed\n".getBytes(StandardCharsets.UTF_8));
    browser.open(cluster.http("/fingerpost/t/" + WebCluster.TENANT + "/"));
    browser.eval("window.sessionStorage.clear(); window.localStorage.clear(); location.reload();");
    Await.until("asks for a token", () -> browser.evalString(LOGIN_SHOWN).equals("true"));
    assertEquals("0", browser.evalString("return String(document.querySelectorAll('#builds-body tr').length);"));
    submitToken(token(List.of(WebCluster.TENANT + "-readers"), Instant.now().plusSeconds(3600)));
    Await.until("the build listed", () -> browser.evalString(
        "var r = document.querySelector('#builds-body tr[data-uuid=\"" + uuid + "\"]'); return String(!!r);").equals("true"));
    assertEquals("false", browser.evalString(LOGIN_SHOWN));
    cluster.endBuild(uuid);
  }
}
