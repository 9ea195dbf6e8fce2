package org.fingerpost.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The newcomer's path, for real: {@code java -jar fingerpost.jar demo} in its own process, the
 * printed command's host, port and uuid used to watch the build grow, then SIGTERM shuts it down.
 * Run by failsafe after the fat jar is packaged.
 */
class DemoIT {
  private static final Pattern WATCH = Pattern.compile("echo ([0-9a-f]+) \\| nc ([0-9.]+) (\\d+)");
  /** The live-log page of the sample build (the demo streamer's tenant is "demo"). */
  private static final Pattern PAGE = Pattern.compile("(http://[0-9.]+:\\d+)/t/demo/build/([0-9a-f]+)");

  @Test
  void demoPrintsHowToWatchAndTheBuildGrows() throws Exception {
    Path jar = Path.of(System.getProperty("fingerpost.jar", "target/fingerpost.jar"));
    Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString(), "demo", "--port", "0", "--web-port", "0", "--interval-ms", "100")
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      Matcher[] lines = CompletableFuture.supplyAsync(() -> awaitLines(demo.getInputStream()))
          .get(60, TimeUnit.SECONDS);
      Matcher watch = lines[0];
      Matcher page = lines[1];
      String uuid = watch.group(1);
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(watch.group(2), Integer.parseInt(watch.group(3))), 10_000);
        s.setSoTimeout(20_000);
        s.getOutputStream().write((uuid + "\n").getBytes(StandardCharsets.UTF_8));
        BufferedReader log = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        assertTrue(log.readLine().endsWith("Job console starting"));
        // New lines keep arriving while we watch: the build is live.
        for (int i = 0; i < 5; i++) {
          String line = log.readLine();
          assertTrue(line != null && line.contains(" | "), "log line: " + line);
        }
      }
      // The web tier serves the page of the same build, and its API knows the build's route.
      assertTrue(page.group(2).equals(uuid), page.group());
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpResponse<String> html = http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(page.group())).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertTrue(html.statusCode() == 200 && html.body().contains("app.js"), html.body());
      java.net.http.HttpResponse<String> route = http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(page.group(1) + "/api/tenant/demo/build/" + uuid + "/stream")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertTrue(route.statusCode() == 200 && route.body().contains("\"route\":\"direct\""), route.body());
      // And the console-stream websocket of the fat jar streams it (JDK websocket client).
      CompletableFuture<String> first = new CompletableFuture<>();
      java.net.http.WebSocket ws = http.newWebSocketBuilder().buildAsync(java.net.URI.create(
          page.group(1).replace("http://", "ws://") + "/api/tenant/demo/console-stream"),
          new java.net.http.WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket socket, CharSequence data,
                boolean last) {
              text.append(data);
              if (text.toString().contains("Job console starting")) {
                first.complete(text.toString());
              }
              socket.request(1);
              return null;
            }
          }).get(10, TimeUnit.SECONDS);
      ws.sendText("{\"uuid\": \"" + uuid + "\", \"logfile\": \"console.log\"}", true);
      assertTrue(first.get(20, TimeUnit.SECONDS).contains("Job console starting"));
      ws.abort();
    } finally {
      demo.destroy(); // SIGTERM: the shutdown hook closes everything
    }
    assertTrue(demo.waitFor(30, TimeUnit.SECONDS), "demo did not stop on SIGTERM");
    int code = demo.exitValue();
    assertTrue(code == 143 || code == 0, "demo should exit as terminated or cleanly, not " + code);
  }

  /** The finger watch line and the page URL line. */
  private static Matcher[] awaitLines(InputStream out) {
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8));
      Matcher[] found = new Matcher[2];
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        Matcher m = WATCH.matcher(line);
        Matcher p = PAGE.matcher(line);
        if (m.find()) {
          found[0] = m;
        }
        if (p.find()) {
          found[1] = p;
        }
        if (found[0] != null && found[1] != null) {
          // Keep draining stdout so the demo never blocks on a full pipe.
          CompletableFuture.runAsync(() -> r.lines().forEach(l -> { }));
          return found;
        }
      }
      throw new AssertionError("demo ended without printing how to watch the build");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
