package org.fingerpost.webapp.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link WebhookReceiverTest} again with {@code batch_writes: false}: one create per
 * event, as zuul-web writes them. The same answers, the same bytes in Zuul's queue, and after
 * ZooKeeper is killed mid-burst, every 200 has its node and nothing else does; and even a burst
 * gives each event its own transaction, hence its own czxid (Zuul's ltime).
 */
class SingleCreateWebhookReceiverTest extends WebhookReceiverTest {
  @Override
  Map<String, String> webhooksSection() {
    return Map.of("max_body_bytes", Long.toString(MAX_BODY), "batch_writes", "false");
  }

  @Test
  void aBurstGivesEveryEventACzxidOfItsOwn() throws Exception {
    assertFalse(services.webhooks().connections().batchWrites(), "this class tests one create per event");
    burst(BURST);
    String root = "/zuul/events/connection/github/events/queue";
    List<String> nodes = registry.curator().getChildren().forPath(root);
    Set<Long> czxids = new HashSet<>();
    for (String n : nodes) {
      czxids.add(registry.curator().checkExists().forPath(root + "/" + n).getCzxid());
    }
    assertEquals(BURST, nodes.size());
    assertEquals(BURST, czxids.size(), "one transaction per event");
  }
}
