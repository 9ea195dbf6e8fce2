package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.fingerpost.webapp.webhooks.WebhookReceiverTest;
import org.junit.jupiter.api.Test;

/**
 * Every case of {@link WebhookReceiverTest} through the webhook servlet a WAR uses, on the embedded
 * server: the same answers, refusals and bytes in Zuul's queue as the core handler's.
 */
class ServletWebhookReceiverTest extends WebhookReceiverTest {
  @Override
  protected WebServer server(WebServices services) {
    return new WebServer(services, WebServer.Limits.DEFAULTS, true, true, false);
  }

  @Test
  void theServletTakesTheWebhooks() {
    assertFalse(web.webhooksOnCore());
  }
}
