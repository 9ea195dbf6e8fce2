package org.fingerpost.webapp;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a page's main thread busy for as long as a test wants: the page makes a synchronous request
 * to this loopback server, which answers only on {@link #release()} (or after {@link #LONGEST_BLOCK}).
 * A blocked page runs no script and takes no websocket frames, as a page on an overloaded machine.
 */
final class PageGate implements AutoCloseable {
  /** A forgotten release still lets the page go. */
  static final Duration LONGEST_BLOCK = Duration.ofSeconds(120);

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final CountDownLatch waiting = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  private PageGate() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/gate", exchange -> {
      waiting.countDown();
      try {
        released.await(LONGEST_BLOCK.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = "released".getBytes(StandardCharsets.US_ASCII);
      exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*"); // the page is another origin
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.setExecutor(threads);
    server.start();
  }

  static PageGate start() throws IOException {
    return new PageGate();
  }

  /**
   * A script for {@code HeadlessChromium.eval}: blocks the page at the next change under the element
   * {@code elementId}. Not at once: WebDriver itself runs scripts in the page after a call returns.
   */
  String blockPageOnChangeScript(String elementId) {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/gate";
    return "var o = new MutationObserver(function () { o.disconnect();"
        + " var x = new XMLHttpRequest(); x.open('GET', '" + url + "', false);"
        + " try { x.send(); } catch (e) {} });"
        + " o.observe(document.getElementById('" + elementId + "'),"
        + " {childList: true, characterData: true, subtree: true});";
  }

  /** Whether the page's request arrived (its main thread is blocked from then on). */
  boolean pageIsWaiting() {
    return waiting.getCount() == 0;
  }

  /** Answers the page's request: its main thread runs again. */
  void release() {
    released.countDown();
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    threads.shutdownNow();
  }
}
