package org.fingerpost.packaging;

import java.util.LinkedHashMap;
import java.util.Map;
import org.fingerpost.registry.events.EventQueues;
import org.fingerpost.webapp.webhooks.WebhookConnections;

/**
 * The {@code webhooks} section: limits of the webhook endpoint (docs/web-tier.md, Webhooks). The connections
 * themselves are the {@code connections} mapping (YAML) or zuul.conf's {@code [connection <name>]}.
 */
public final class WebhooksSection {
  /** Largest request body, in bytes. */
  public long maxBodyBytes = WebhookConnections.DEFAULT_MAX_BODY_BYTES;
  /** Seconds persisting one event may take before the sender gets 503. */
  public double persistTimeout = EventQueues.DEFAULT_PERSIST_TIMEOUT.toMillis() / 1000.0;
  /** Seconds a Pagure project-token lookup may take before the sender gets 503. */
  public double tokenLookupTimeout = WebhookConnections.DEFAULT_TOKEN_LOOKUP_TIMEOUT.toMillis() / 1000.0;

  /** The webhook configuration of this section and {@code connections} ({@code name -> key -> value}). */
  WebhookConnections toWebhookConnections(Map<String, Map<String, String>> connections)
      throws ConfigFile.ConfigException {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    connections.forEach((name, keys) -> sections.put(WebhookConnections.CONNECTION_PREFIX + name, keys));
    sections.put(WebhookConnections.LIMITS_SECTION, Map.of(
        "max_body_bytes", Long.toString(maxBodyBytes),
        "persist_timeout", Double.toString(persistTimeout),
        "token_lookup_timeout", Double.toString(tokenLookupTimeout)));
    try {
      return WebhookConnections.fromSections(sections);
    } catch (IllegalArgumentException e) {
      throw new ConfigFile.ConfigException("Invalid configuration: " + e.getMessage(), e);
    }
  }
}
