package org.fingerpost.webapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fingerpost.testing.Await;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium driven by its chromedriver over the W3C WebDriver protocol (plain HTTP
 * and JSON: no Selenium needed). Absent browser: the test fails under CI ({@code CI=true}) and is
 * skipped elsewhere.
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final Process driver;
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;
  private final String session;

  /** Starts chromedriver and a browser session, or fails/skips as the class comment says. */
  static HeadlessChromium start(Path profileDir) throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String message = "Browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
          + " (apt-get install -y chromium chromium-driver; .ci/run installs them)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(message);
      }
      Assumptions.assumeTrue(false, message);
    }
    return new HeadlessChromium(profileDir);
  }

  private HeadlessChromium(Path profileDir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
        .redirectErrorStream(true).redirectOutput(profileDir.resolve("chromedriver.log").toFile()).start();
    base = URI.create("http://127.0.0.1:" + port + "/");
    Await.until("chromedriver ready", Duration.ofSeconds(30), this::ready);
    ObjectNode caps = JSON.createObjectNode();
    ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
    always.put("browserName", "chrome");
    ObjectNode options = always.putObject("goog:chromeOptions");
    options.put("binary", CHROMIUM.toString());
    for (String arg : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1200,800", "--user-data-dir=" + profileDir.resolve("profile"))) {
      options.withArray("args").add(arg);
    }
    JsonNode created = call("POST", "session", caps);
    session = created.at("/value/sessionId").asText();
  }

  private boolean ready() {
    try {
      return http.send(HttpRequest.newBuilder(base.resolve("status")).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  void open(URI url) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("url", url.toString());
    call("POST", "session/" + session + "/url", body);
  }

  /** Runs {@code script} (a function body) in the page and returns its value. */
  JsonNode eval(String script) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("script", script);
    body.putArray("args");
    return call("POST", "session/" + session + "/execute/sync", body).get("value");
  }

  String evalString(String script) {
    try {
      return eval(script).asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode call(String method, String path, JsonNode body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(CALL_TIMEOUT)
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("WebDriver " + method + " " + path + " -> " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  @Override
  public void close() throws Exception {
    try {
      if (session != null) {
        call("DELETE", "session/" + session, null);
      }
    } finally {
      driver.destroy();
      if (!driver.waitFor(10, TimeUnit.SECONDS)) {
        driver.destroyForcibly();
      }
    }
  }
}
