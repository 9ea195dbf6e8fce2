package org.fingerpost.webapp;

import org.fingerpost.testing.Await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's features in headless Chromium against the real web tier (docs/web-tier.md "Live-log
 * page"): running builds, line numbers with permalinks, wrap and first error, Zuul's live-log path.
 */
class PageFeaturesTest {
  @TempDir
  static Path jobDir;
  @TempDir
  static Path browserDir;
  static WebCluster cluster;
  static HeadlessChromium browser;

  static final String LOG_TEXT = LiveLogPageTest.LOG_TEXT;
  static final String STATE = LiveLogPageTest.STATE;
  static final String HASH = "return location.hash;";
  static final String HIGHLIGHTED = "return Array.prototype.map.call(document.querySelectorAll('#log .l.hl'),"
      + " function (e) { return e.getAttribute('data-n'); }).join(',');";

  @BeforeAll
  static void start() throws Exception {
    browser = HeadlessChromium.start(browserDir);
    cluster = WebCluster.start(jobDir);
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

  @BeforeEach
  void forgetPreferences() throws Exception {
    browser.open(cluster.http("/fingerpost/"));
    browser.eval("window.localStorage.clear(); window.sessionStorage.clear();");
  }

  static String numbered(int lines, int errorAt) {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= lines; i++) {
      b.append(i == errorAt ? "fatal: [node]: FAILED! => {\"msg\": \"boom\"}" : "line " + i).append('\n');
    }
    return b.toString();
  }

  static String row(String uuid) {
    return "var r = document.querySelector('#builds-body tr[data-uuid=\"" + uuid + "\"]');";
  }

  @Test
  void landingPageListsRunningBuildsLiveAndOpensOne() throws Exception {
    String first = WebCluster.newBuildId();
    cluster.startBuild(first, "first build\n".getBytes(StandardCharsets.UTF_8));
    browser.open(cluster.http("/fingerpost/t/" + WebCluster.TENANT + "/"));
    Await.until("first build listed", () -> browser.evalString(row(first) + " return String(!!r);").equals("true"));
    assertEquals("127.0.0.1", browser.evalString(row(first) + " return r.children[5].textContent;"), "executor");
    assertTrue(browser.evalString(row(first) + " return r.children[6].textContent;").matches("\\d+:\\d\\d"),
        "elapsed as m:ss");

    // Updates live: a new build appears, an ended one goes, without reloading.
    String second = WebCluster.newBuildId();
    cluster.startBuild(second, "second build\n".getBytes(StandardCharsets.UTF_8));
    cluster.endBuild(first);
    Await.until("list updated", () -> browser.evalString(row(second) + " return String(!!r);").equals("true")
        && browser.evalString(row(first) + " return String(!!r);").equals("false"));

    // A click on the row opens the build's log.
    browser.eval(row(second) + " r.children[1].click();");
    Await.until("the log opened", () -> browser.evalString(LOG_TEXT).equals("second build\n"));
    assertEquals("/fingerpost/t/" + WebCluster.TENANT + "/build/" + second, browser.evalString("return location.pathname;"));
    cluster.endBuild(second);
    Await.until("end state", () -> browser.evalString(STATE).equals("ended"));
  }

  @Test
  void permalinkHighlightsScrollsAndShiftClickSelectsARange() throws Exception {
    String uuid = WebCluster.newBuildId();
    String text = numbered(2000, 0);
    cluster.startBuild(uuid, text.getBytes(StandardCharsets.UTF_8));
    browser.open(cluster.http("/fingerpost/t/" + WebCluster.TENANT + "/build/" + uuid + "#L1200"));
    Await.until("line 1200 highlighted", () -> browser.evalString(HIGHLIGHTED).equals("1200"));
    Await.until("line 1200 in view", () -> browser.evalString("var l = document.getElementById('log');"
        + " var r = document.querySelector('#log .l.hl').getBoundingClientRect(), v = l.getBoundingClientRect();"
        + " return String(r.top >= v.top && r.bottom <= v.bottom);").equals("true"));
    assertEquals("false", browser.evalString(LiveLogPageTest.FOLLOW), "a permalink stops following the end");
    assertEquals(text, browser.evalString(LOG_TEXT), "line numbers are not part of the text");

    // A click on a line's number selects it; shift-click another extends to a range.
    browser.eval(click(1205, false));
    assertEquals("#L1205", browser.evalString(HASH));
    browser.eval(click(1210, true));
    assertEquals("#L1205-L1210", browser.evalString(HASH));
    assertEquals("1205,1206,1207,1208,1209,1210", browser.evalString(HIGHLIGHTED));
    // A click in the text selects nothing (text selection stays possible).
    browser.eval("var e = document.querySelector('#log .l[data-n=\"1300\"]'), r = e.getBoundingClientRect();"
        + " e.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: r.left + 20, clientY: r.top + 2}));");
    assertEquals("#L1205-L1210", browser.evalString(HASH));

    // Opening a range permalink highlights it.
    browser.open(cluster.http("/fingerpost/t/" + WebCluster.TENANT + "/build/" + uuid + "#L3-L5"));
    Await.until("range highlighted", () -> browser.evalString(HIGHLIGHTED).equals("3,4,5"));
    cluster.endBuild(uuid);
  }

  /** A click left of line {@code n}'s text: on its number. */
  static String click(int n, boolean shift) {
    return "var e = document.querySelector('#log .l[data-n=\"" + n + "\"]'); e.scrollIntoView({block: 'center'});"
        + " var r = e.getBoundingClientRect();"
        + " e.dispatchEvent(new MouseEvent('click', {bubbles: true, shiftKey: " + shift + ", clientX: r.left - 10,"
        + " clientY: r.top + 2}));";
  }

  @Test
  void wrapAndFirstErrorAreRememberedPerBrowser() throws Exception {
    String uuid = WebCluster.newBuildId();
    cluster.startBuild(uuid, (numbered(300, 200) + "x".repeat(5000) + "\n").getBytes(StandardCharsets.UTF_8));
    String page = "/fingerpost/t/" + WebCluster.TENANT + "/build/" + uuid;
    browser.open(cluster.http(page));
    Await.until("first error found", () -> browser.evalString(
        "var b = document.getElementById('first-error'); return b.disabled ? '' : b.getAttribute('data-line');")
        .equals("200"));
    assertEquals("pre-wrap", browser.evalString("return getComputedStyle(document.getElementById('log')).whiteSpace;"));
    browser.eval("document.getElementById('first-error').click();");
    assertEquals("#L200", browser.evalString(HASH));
    assertEquals("200", browser.evalString(HIGHLIGHTED));

    browser.eval("document.getElementById('wrap').click(); document.getElementById('auto-error').click();");
    assertEquals("pre", browser.evalString("return getComputedStyle(document.getElementById('log')).whiteSpace;"));

    // Another build, opened afresh: no wrap, and the view jumps to its first error by itself.
    String next = WebCluster.newBuildId();
    cluster.startBuild(next, numbered(400, 333).getBytes(StandardCharsets.UTF_8));
    browser.open(cluster.http("/fingerpost/t/" + WebCluster.TENANT + "/build/" + next));
    Await.until("jumped to the first error", () -> browser.evalString(HASH).equals("#L333"));
    assertEquals("333", browser.evalString(HIGHLIGHTED));
    assertEquals("pre", browser.evalString("return getComputedStyle(document.getElementById('log')).whiteSpace;"));
    assertEquals("Wrap: off", browser.evalString("return document.getElementById('wrap').textContent;"));
    assertEquals("true", browser.evalString("return String(document.getElementById('auto-error').checked);"));
    cluster.endBuild(uuid);
    cluster.endBuild(next);
  }

  @Test
  void zuulsLiveLogPathShowsTheLog() throws Exception {
    String uuid = WebCluster.newBuildId();
    cluster.startBuild(uuid, "through zuul's link\n".getBytes(StandardCharsets.UTF_8));
    browser.open(cluster.http("/t/" + WebCluster.TENANT + "/stream/" + uuid + "?logfile=console.log"));
    Await.until("log shown", () -> browser.evalString(LOG_TEXT).equals("through zuul's link\n"));
    // Lines in view are numbered once the text stopped arriving (lines.js numbers lazily).
    Await.until("line 1 numbered", () -> browser.evalString(
        "var l = document.querySelector('#log .l[data-n=\"1\"]'); return l ? l.textContent : '';")
        .equals("through zuul's link\n"));
    cluster.endBuild(uuid);
    Await.until("end state", () -> browser.evalString(STATE).equals("ended"));
  }
}
