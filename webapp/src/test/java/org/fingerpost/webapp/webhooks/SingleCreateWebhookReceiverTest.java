package org.fingerpost.webapp.webhooks;

import java.util.Map;

/**
 * Every case of {@link WebhookReceiverTest} again with {@code batch_writes: false}: one create per
 * event, as zuul-web writes them. The same answers, the same bytes in Zuul's queue, and after
 * ZooKeeper is killed mid-burst, every 200 has its node and nothing else does.
 */
class SingleCreateWebhookReceiverTest extends WebhookReceiverTest {
  @Override
  Map<String, String> webhooksSection() {
    return Map.of("max_body_bytes", Long.toString(MAX_BODY), "batch_writes", "false");
  }
}
