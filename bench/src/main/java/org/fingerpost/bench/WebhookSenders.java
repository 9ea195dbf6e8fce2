package org.fingerpost.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The senders of {@link WebhookBench}: each posts signed GitHub deliveries for one Zuul connection over its
 * own keep-alive HTTP connection, waiting for each answer before the next, and the ack latency of each is
 * kept. All senders run on one thread by default ({@link #SENDER}).
 */
final class WebhookSenders {
  /** Latency samples kept per sender and phase (more deliveries are sent but not sampled). */
  static final int MAX_SAMPLES_PER_SENDER = 200_000;
  /**
   * The senders' HTTP client ({@code -Dbench.sender}), each sending GitHub's header set: {@code
   * multiplexed} (default), all senders' connections on one thread ({@link MultiplexedPosters}); {@code
   * raw}, a thread per sender with a {@link RawHttpPoster} each, whose wake-ups cost the shared 2 cores
   * about 50 µs per webhook; or {@code jdk}, the JDK's {@code HttpClient}, whose CPU per request was as
   * large as the web tier's own.
   */
  static final String SENDER = System.getProperty("bench.sender", "multiplexed");
  /** 503 answers in the measured part of the last phase. */
  static final AtomicLong refused = new AtomicLong();

  private WebhookSenders() {}

  /** {@code senders} senders posting deliveries; the ack latencies (ns) of those finished in the measured phase. */
  static long[] run(int port, String connection, Delivery delivery, int senders, Duration phase)
      throws Exception {
    long warmEnd = System.nanoTime() + WebhookBench.WARM_UP.toNanos();
    long end = warmEnd + phase.toNanos();
    if ("multiplexed".equals(SENDER)) {
      String fixed = githubHead(port, connection, delivery);
      MultiplexedPosters.Result r = MultiplexedPosters.run(port, senders,
          (sender, i) -> fixed + "X-GitHub-Delivery: " + sender + "-" + i + "\r\n\r\n", delivery.payload(), warmEnd,
          end, MAX_SAMPLES_PER_SENDER);
      refused.set(r.refused());
      return Samples.concat(r.latencies());
    }
    List<Samples> perSender = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    CountDownLatch finished = new CountDownLatch(senders);
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    refused.set(0);
    for (int s = 0; s < senders; s++) {
      Samples lat = new Samples(MAX_SAMPLES_PER_SENDER);
      perSender.add(lat);
      int senderId = s;
      Thread t = new Thread(() -> {
        int i = 0;
        try (Sender sender = newSender(port, connection, delivery)) {
          while (true) {
            long t0 = System.nanoTime();
            if (t0 >= end) {
              break;
            }
            boolean stored = sender.send(senderId + "-" + i++);
            long t1 = System.nanoTime();
            if (!stored) {
              if (t0 >= warmEnd && t1 <= end) {
                refused.incrementAndGet();
              }
              continue;
            }
            if (t0 >= warmEnd && t1 <= end) {
              lat.add(t1 - t0);
            }
          }
        } catch (Throwable e) {
          errors.add(e);
        } finally {
          finished.countDown();
        }
      }, "sender-" + s);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    finished.await();
    if (!errors.isEmpty()) {
      throw new IllegalStateException("sender failed", errors.get(0));
    }
    return Samples.concat(perSender);
  }

  /** One signed body and its two signatures (GitHub sends both headers). */
  record Delivery(byte[] payload, String sha256, String sha1) {}

  /** Posts deliveries to one connection: true on 200, false on 503 (not stored: a sender would deliver it again). */
  interface Sender extends AutoCloseable {
    boolean send(String id) throws Exception;

    @Override
    default void close() throws Exception {}
  }

  /** A sender of the kind {@link #SENDER} names; the JDK's shares one client (a pool of keep-alive connections). */
  static Sender newSender(int port, String connection, Delivery delivery) throws Exception {
    String path = "/api/connection/" + connection + "/payload";
    if ("jdk".equals(SENDER)) {
      return id -> stored(id, jdkClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .header("Content-Type", "application/json").header("X-GitHub-Event", "pull_request")
          .header("X-GitHub-Delivery", id).header("X-Hub-Signature-256", delivery.sha256())
          .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.payload())).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode());
    }
    RawHttpPoster poster = new RawHttpPoster(port);
    String fixed = githubHead(port, connection, delivery);
    return new Sender() {
      @Override
      public boolean send(String id) throws Exception {
        return stored(id, poster.post(fixed + "X-GitHub-Delivery: " + id + "\r\n\r\n", delivery.payload()));
      }

      @Override
      public void close() throws Exception {
        poster.close();
      }
    };
  }

  /**
   * A delivery's request head without its {@code X-GitHub-Delivery} line and the empty line: GitHub's
   * header set (docs.github.com, "Webhook events and payloads": delivery headers).
   */
  private static String githubHead(int port, String connection, Delivery delivery) {
    String path = "/api/connection/" + connection + "/payload";
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: */*\r\n"
        + "User-Agent: GitHub-Hookshot/7a0d3a8\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + delivery.payload().length + "\r\nX-GitHub-Event: pull_request\r\n"
        + "X-GitHub-Hook-ID: 462712345\r\nX-GitHub-Hook-Installation-Target-ID: 79929171\r\n"
        + "X-GitHub-Hook-Installation-Target-Type: repository\r\n"
        + "X-Hub-Signature: " + delivery.sha1() + "\r\nX-Hub-Signature-256: " + delivery.sha256() + "\r\n";
  }

  private static HttpClient jdk;

  private static synchronized HttpClient jdkClient() {
    if (jdk == null) {
      jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }
    return jdk;
  }

  private static boolean stored(String id, int status) {
    if (status != 200 && status != 503) {
      throw new IllegalStateException("delivery " + id + " answered " + status);
    }
    return status == 200;
  }
}
