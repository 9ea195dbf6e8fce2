package org.fingerpost.packaging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's build: a job directory in Zuul's layout whose {@code job-output.txt} grows by one line
 * every interval, in the style of a Zuul job log (timestamps, task banners, ANSI colours, UTF-8).
 */
final class SampleBuild implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SampleBuild.class);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
  private static final String GREEN = "\u001b[32m";
  private static final String YELLOW = "\u001b[33m";
  private static final String RESET = "\u001b[0m";

  private final String uuid = UUID.randomUUID().toString().replace("-", "");
  private final Path log;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "demo-build");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong line = new AtomicLong();

  SampleBuild(Path jobDir) throws IOException {
    this.log = jobDir.resolve(uuid).resolve("work/logs/job-output.txt");
    Files.createDirectories(log.getParent());
    append(LocalDateTime.now().format(TIME) + " | Job console starting\n");
  }

  String uuid() {
    return uuid;
  }

  Path logFile() {
    return log;
  }

  void start(long intervalMillis) {
    timer.scheduleAtFixedRate(this::appendLine, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  private void appendLine() {
    long n = line.incrementAndGet();
    String now = LocalDateTime.now().format(TIME);
    String text = n % 10 == 1
        ? now + " | " + YELLOW + "TASK [step " + (n / 10 + 1) + ": run tests]" + RESET + "\n"
        : now + " | " + GREEN + "ok" + RESET + ": [ubuntu-noble] line " + n + " \u2713 (\u00e9t\u00e9 \u6f22\u5b57)\n";
    try {
      append(text);
    } catch (IOException e) {
      LOG.warn("Demo build cannot append to {}: {}", log, e.toString());
    }
  }

  private void append(String text) throws IOException {
    try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
