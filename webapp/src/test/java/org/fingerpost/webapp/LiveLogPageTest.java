package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.fingerpost.testing.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live-log page in a real (headless) Chromium against the real web tier. */
class LiveLogPageTest {
  @TempDir
  static Path jobDir;
  @TempDir
  static Path browserDir;
  static WebCluster cluster;
  static HeadlessChromium browser;

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

  static final String LOG_TEXT = "return document.getElementById('log').textContent;";
  static final String STATE = "return document.body.getAttribute('data-state');";
  static final String FOLLOW = "return document.getElementById('log').getAttribute('data-follow');";
  static final String AT_BOTTOM = "var l = document.getElementById('log');"
      + " return String(l.scrollHeight - l.scrollTop - l.clientHeight <= 40);";

  @Test
  void showsTheLogAsItGrowsFollowsPausesAndShowsTheEnd() throws Exception {
    String uuid = WebCluster.newBuildId();
    Path file = cluster.startBuild(uuid, ("plain line\n\u001b[32mgreen ok\u001b[0m <b>not markup</b> \u00e9\u6f22\n")
        .getBytes(StandardCharsets.UTF_8));
    browser.open(cluster.http("/t/" + WebCluster.TENANT + "/build/" + uuid));
    Await.until("first lines shown", () -> browser.evalString(LOG_TEXT).contains("green ok <b>not markup</b> \u00e9\u6f22"));
    assertEquals("streaming", browser.evalString(STATE));
    assertEquals("green ok", browser.evalString("var s = document.querySelector('#log .f32'); return s && s.textContent;"),
        "ANSI green rendered as a coloured span");
    assertEquals("true", browser.evalString("return String(document.querySelector('#log b') === null);"),
        "log text must never become markup");

    // Lines appended to the file appear, and the view follows them to the bottom.
    StringBuilder more = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      more.append("appended line ").append(i).append('\n');
    }
    WebCluster.append(file, more.toString().getBytes(StandardCharsets.UTF_8));
    Await.until("appended lines shown", () -> browser.evalString(LOG_TEXT).contains("appended line 399\n"));
    Await.until("follows to the bottom", () -> browser.evalString(AT_BOTTOM).equals("true"));

    // Scrolling up pauses the follow: new lines do not pull the view down.
    browser.eval("document.getElementById('log').scrollTop = 0;");
    Await.until("follow paused", () -> browser.evalString(FOLLOW).equals("false"));
    WebCluster.append(file, "while paused\n".getBytes(StandardCharsets.UTF_8));
    Await.until("line shown while paused", () -> browser.evalString(LOG_TEXT).contains("while paused\n"));
    assertEquals("0", browser.evalString("return String(document.getElementById('log').scrollTop);"),
        "the view stays where the user scrolled");
    assertEquals("false", browser.evalString("return String(document.getElementById('follow').hidden);"),
        "the jump-to-end button is offered");

    // Back at the bottom, following resumes.
    browser.eval("var l = document.getElementById('log'); l.scrollTop = l.scrollHeight;");
    Await.until("follow resumed", () -> browser.evalString(FOLLOW).equals("true"));
    WebCluster.append(file, "after resume\n".getBytes(StandardCharsets.UTF_8));
    Await.until("line shown after resume", () -> browser.evalString(LOG_TEXT).contains("after resume\n"));
    Await.until("at the bottom again", () -> browser.evalString(AT_BOTTOM).equals("true"));

    // The executor removes the build: the page shows the end of the log.
    cluster.endBuild(uuid);
    Await.until("end state", () -> browser.evalString(STATE).equals("ended"));
    assertEquals("End of log", browser.evalString("return document.getElementById('status').textContent;"));
    assertTrue(browser.evalString(LOG_TEXT).endsWith("after resume\n"));
  }

  @Test
  void reconnectsAfterADroppedConnectionWithoutRepeatingText() throws Exception {
    String uuid = WebCluster.newBuildId();
    Path file = cluster.startBuild(uuid, "before the drop\n".getBytes(StandardCharsets.UTF_8));
    browser.open(cluster.http("/t/" + WebCluster.TENANT + "/build/" + uuid));
    Await.until("first line", () -> browser.evalString(LOG_TEXT).equals("before the drop\n"));
    cluster.restartWeb(); // the websocket drops; the page retries with backoff and gets the new server
    WebCluster.append(file, "after the drop\n".getBytes(StandardCharsets.UTF_8));
    Await.until("text after the reconnect", () -> browser.evalString(LOG_TEXT).contains("after the drop\n"));
    assertEquals("before the drop\nafter the drop\n", browser.evalString(LOG_TEXT),
        "a reconnect resumes from the byte offset: nothing is repeated");
    assertEquals("streaming", browser.evalString(STATE));
    cluster.endBuild(uuid);
    Await.until("end state", () -> browser.evalString(STATE).equals("ended"));
  }

  @Test
  void reconnectResumesFromTheByteOffsetOfMultiByteText() throws Exception {
    String uuid = WebCluster.newBuildId();
    String before = "h\u00e9llo \u2713 \ud83d\ude80 before\n";
    Path file = cluster.startBuild(uuid, before.getBytes(StandardCharsets.UTF_8));
    browser.open(cluster.http("/t/" + WebCluster.TENANT + "/build/" + uuid));
    Await.until("first line", () -> browser.evalString(LOG_TEXT).equals(before));
    cluster.restartWeb();
    String after = "apr\u00e8s \u2713 after\n";
    WebCluster.append(file, after.getBytes(StandardCharsets.UTF_8));
    Await.until("text after the reconnect", () -> browser.evalString(LOG_TEXT).contains("after\n"));
    assertEquals(before + after, browser.evalString(LOG_TEXT), "nothing lost or repeated");
    assertEquals(String.valueOf(before.getBytes(StandardCharsets.UTF_8).length),
        browser.evalString("return document.getElementById('log').getAttribute('data-resumed-from');"),
        "the page resumed from the byte offset of what it had");
    cluster.endBuild(uuid);
    Await.until("end state", () -> browser.evalString(STATE).equals("ended"));
  }

  /** 50 MB with colours every few lines: all of it rendered, in a few large blocks, not a node per line. */
  @Test
  void fiftyMegabyteLogIsRenderedInBlocks() throws Exception {
    StringBuilder raw = new StringBuilder();
    StringBuilder plain = new StringBuilder();
    for (int i = 0; raw.length() < LARGE_LOG_BYTES; i++) {
      String text = String.format("%08d | ok: [ubuntu-noble] a reasonably long line of build output, step %d%n", i, i % 97);
      if (i % 5 == 0) {
        raw.append("\u001b[32m").append(text).append("\u001b[0m");
      } else {
        raw.append(text);
      }
      plain.append(text);
    }
    String uuid = WebCluster.newBuildId();
    cluster.startBuild(uuid, raw.toString().getBytes(StandardCharsets.UTF_8));
    browser.open(cluster.http("/t/" + WebCluster.TENANT + "/build/" + uuid));
    // The page's own count: reading textContent of 50 MB in a loop would load the page it measures.
    String length = "return document.getElementById('log').getAttribute('data-chars');";
    try {
      Await.until("all " + plain.length() + " characters rendered", java.time.Duration.ofMinutes(2),
          () -> browser.evalString(length).equals(String.valueOf(plain.length())));
    } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; page has " + browser.evalString(length) + " characters, state "
          + browser.evalString(STATE) + ": " + browser.evalString("return document.getElementById('status').textContent;"), e);
    }
    int blocks = Integer.parseInt(browser.evalString("return String(document.getElementById('log').children.length);"));
    assertTrue(blocks <= raw.length() / (64 * 1024) + 2, "rendered in 64 Ki-character blocks, not per line: " + blocks);
    assertEquals("true", browser.evalString(AT_BOTTOM), "following the end");
    assertEquals(plain.substring(plain.length() - 200), browser.evalString(
        "var t = document.getElementById('log').textContent; return t.substring(t.length - 200);"));
    cluster.endBuild(uuid);
    Await.until("end state", () -> browser.evalString(STATE).equals("ended"));
  }

  static final int LARGE_LOG_BYTES = 50 * 1024 * 1024;

  @Test
  void unknownBuildShowsTheError() throws Exception {
    browser.open(cluster.http("/t/" + WebCluster.TENANT + "/build/" + WebCluster.newBuildId()));
    Await.until("error state", () -> browser.evalString(STATE).equals("error"));
    assertEquals("Build not found", browser.evalString("return document.getElementById('status').textContent;"));
  }

  @Test
  void rootShowsTheForm() throws Exception {
    browser.open(cluster.http("/"));
    Await.until("form shown", () -> browser.evalString("return String(document.getElementById('open').hidden);")
        .equals("false"));
  }
}
