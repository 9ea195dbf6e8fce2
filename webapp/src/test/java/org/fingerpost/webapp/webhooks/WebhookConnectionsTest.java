package org.fingerpost.webapp.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookConnectionsTest {
  @Test
  void defaultsAndDriversWithoutWebhookIgnored() {
    WebhookConnections w = WebhookConnections.fromSections(Map.of(
        "connection gerrit", Map.of("driver", "gerrit"),
        "connection pg", Map.of("driver", "pagure", "server", "pagure.example", "source_whitelist", "1.2.3.4, 5.6.7.8"),
        "zookeeper", Map.of("hosts", "zk")));
    assertEquals(Set.of("pg"), w.connections().keySet());
    assertEquals(25L * 1024 * 1024, w.maxBodyBytes());
    assertEquals(Duration.ofSeconds(8), w.persistTimeout());
    assertTrue(w.batchWrites(), "events in flight together share a transaction unless asked not to");
    assertEquals(Boolean.toString(WebhookConnections.DEFAULT_BATCH_WRITES),
        org.fingerpost.config.Keys.WEBHOOKS_BATCH_WRITES.defaultValue(), "the documented default is the one applied");
    assertFalse(WebhookConnections.fromSections(Map.of("webhooks", Map.of("batch_writes", "false"))).batchWrites());
    ConnectionSettings pg = w.connections().get("pg");
    assertEquals("https://pagure.example", pg.pagureBaseUrl().toString());
    assertEquals(Set.of("1.2.3.4", "5.6.7.8"), pg.sourceWhitelist());
    assertFalse(pg.toString().contains("token"));
  }

  @Test
  void invalidValuesNameSectionAndKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebhookConnections.fromSections(
        Map.of("connection gl", Map.of("driver", "gitlab"))));
    assertTrue(e.getMessage().contains("[connection gl] webhook_token"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> WebhookConnections.fromSections(
        Map.of("webhooks", Map.of("max_body_bytes", "lots"))));
    assertTrue(e.getMessage().contains("[webhooks] max_body_bytes"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> WebhookConnections.fromSections(
        Map.of("webhooks", Map.of("batch_writes", "yes please"))));
    assertTrue(e.getMessage().contains("[webhooks] batch_writes"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> WebhookConnections.fromSections(
        Map.of("connection p", Map.of("driver", "pagure", "baseurl", "ftp://x"))));
    assertTrue(e.getMessage().contains("baseurl"), e.getMessage());
  }
}
