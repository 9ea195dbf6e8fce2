package org.fingerpost.webapp.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link WebhookReceiverTest} again with {@code batch_writes: true}: the same answers,
 * the same bytes in Zuul's queue, and after ZooKeeper is killed mid-burst, every 200 has its node and
 * nothing else does, with several events per ZooKeeper transaction. Plus a burst of concurrent
 * deliveries, the case batching is for.
 */
class BatchedWebhookReceiverTest extends WebhookReceiverTest {
  static final int BURST = 48;

  @Override
  Map<String, String> webhooksSection() {
    return Map.of("max_body_bytes", Long.toString(MAX_BODY), "batch_writes", "true");
  }

  @Test
  void aConcurrentBurstIsStoredEachDeliveryOnceInItsOwnNode() throws Exception {
    assertTrue(services.webhooks().connections().batchWrites(), "this class tests the batched writer");
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      String id = "burst-" + i;
      byte[] body = bytes("{\"delivery\": \"" + id + "\"}");
      String signature = "sha256=" + hmac("HmacSHA256", GITHUB_SECRET, body);
      answers.add(CompletableFuture.supplyAsync(() -> {
        try {
          return post("github", body, "X-GitHub-Delivery", id, "X-GitHub-Event", "push",
              "X-Hub-Signature-256", signature);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<HttpResponse<String>> a : answers) {
      HttpResponse<String> r = a.get(AWAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(200, r.statusCode(), r.body());
    }
    Set<String> stored = new TreeSet<>();
    for (JsonNode e : queue("github")) {
      assertTrue(stored.add(e.get("event_data").get("body").get("delivery").asText()), "no duplicates");
    }
    assertEquals(BURST, stored.size(), "one node per delivery: " + stored);
  }
}
