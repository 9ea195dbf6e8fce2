package org.fingerpost.bench.soak;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A console-stream websocket viewer that resumes, as the live-log page does: its first message asks
 * for the build from the offset it has ({@code "offset"}, the console stream's extension), and
 * after every close before the soak ends it connects again from there. Close codes are counted.
 *
 * <p>Threads: the JDK HTTP client's threads call the listener, one call at a time per websocket;
 * reconnects and the slow viewer's delayed demand run on the shared timer.
 */
final class WsViewer extends Viewer {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final long STALL_CHECK_MILLIS = 5_000;

  private final HttpClient http;
  private final URI uri;
  private final ScheduledExecutorService timer;
  /** Generation of the current connection: callbacks of an older one are ignored. */
  private final AtomicInteger generation = new AtomicInteger();
  private volatile WebSocket socket;

  WsViewer(int id, BuildLog log, Events events, HttpClient http, URI uri, ScheduledExecutorService timer) {
    super(id, log, events);
    this.http = http;
    this.uri = uri;
    this.timer = timer;
  }

  @Override
  void start() {
    connect();
    timer.scheduleWithFixedDelay(this::stallCheck, STALL_CHECK_MILLIS, STALL_CHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  void stop() {
    stopped = true;
    generation.incrementAndGet();
    WebSocket ws = socket;
    if (ws != null) {
      ws.abort();
    }
  }

  private void connect() {
    if (stopped) {
      return;
    }
    int gen = generation.incrementAndGet();
    long from = check.resumeOffset();
    String first = "{\"uuid\":\"" + check.log().uuid + "\",\"logfile\":\"console.log\",\"offset\":" + from + "}";
    http.newWebSocketBuilder()
        .connectTimeout(CONNECT_TIMEOUT)
        .buildAsync(uri, new Listener(gen))
        .whenComplete(
            (ws, error) -> {
              if (error != null) {
                retry(gen, "connection failed: " + error.getClass().getSimpleName());
              } else {
                socket = ws;
                check.connected();
                ws.sendText(first, true);
              }
            });
  }

  private void retry(int gen, String event) {
    if (stopped || !generation.compareAndSet(gen, gen + 1)) {
      return;
    }
    check.endOfWebsocketConnection();
    events.add(event);
    events.add("reconnects");
    timer.schedule(this::connect, nextRetryMillis(), TimeUnit.MILLISECONDS);
  }

  private void stallCheck() {
    long stallNanos = TimeUnit.MILLISECONDS.toNanos(Viewer.STALL_MILLIS);
    if (!stopped && check.nanosSinceProgress() > stallNanos && check.position() < check.log().size()) {
      int gen = generation.get();
      WebSocket ws = socket;
      if (ws != null) {
        ws.abort();
      }
      retry(gen, "stalled " + Viewer.STALL_MILLIS / 1000 + " s, reconnected");
    }
  }

  /** The callbacks of one connection. */
  private final class Listener implements WebSocket.Listener {
    private final int gen;

    Listener(int gen) {
      this.gen = gen;
    }

    @Override
    public void onOpen(WebSocket ws) {
      ws.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      if (generation.get() != gen) {
        return null;
      }
      check.accept(data);
      if (slow) {
        long millis = TimeUnit.SECONDS.toMillis(data.length()) / SLOW_BYTES_PER_SECOND;
        timer.schedule(() -> ws.request(1), millis, TimeUnit.MILLISECONDS);
      } else {
        ws.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      retry(gen, "close " + code + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      retry(gen, "error: " + error.getClass().getSimpleName());
    }
  }
}
