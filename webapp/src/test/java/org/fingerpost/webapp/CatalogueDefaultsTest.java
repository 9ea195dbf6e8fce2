package org.fingerpost.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.fingerpost.config.Configuration;
import org.fingerpost.config.Key;
import org.fingerpost.config.Keys;
import org.fingerpost.gateway.GatewaySettings;
import org.fingerpost.registry.RegistrySettings;
import org.fingerpost.registry.events.EventQueues;
import org.fingerpost.streams.SharedStreams;
import org.fingerpost.streams.StreamFront;
import org.fingerpost.webapp.auth.AccessSettings;
import org.fingerpost.webapp.webhooks.WebhookConnections;
import org.junit.jupiter.api.Test;

/**
 * The catalogue's defaults (the config module depends on no other module, so it writes them out) are
 * the runtime settings types' own defaults: neither can drift from the other.
 */
class CatalogueDefaultsTest {
  private final Configuration defaults = Configuration.defaults();

  @Test
  void registryDefaults() {
    assertEquals(RegistrySettings.DEFAULT_MODEL_API, defaults.integer(Keys.ZK_MODEL_API));
    assertEquals(RegistrySettings.DEFAULT_SESSION_TIMEOUT_SECONDS, defaults.number(Keys.ZK_SESSION_TIMEOUT));
    assertEquals(RegistrySettings.DEFAULT_CONNECTION_TIMEOUT_SECONDS, defaults.number(Keys.ZK_CONNECTION_TIMEOUT));
    assertEquals(RegistrySettings.DEFAULT_ROOT, defaults.text(Keys.ZK_ROOT));
  }

  @Test
  void streamFrontDefaultsOfGatewayAndWeb() {
    for (Key key : new Key[] {Keys.GW_SHARED_WINDOW_BYTES, Keys.WEB_SHARED_WINDOW_BYTES}) {
      assertEquals(SharedStreams.DEFAULT_WINDOW_BYTES, defaults.longValue(key), key.path());
    }
    for (Key key : new Key[] {Keys.GW_VIEWER_BUFFER_BYTES, Keys.WEB_VIEWER_BUFFER_BYTES}) {
      assertEquals(SharedStreams.DEFAULT_VIEWER_BUFFER_BYTES, defaults.longValue(key), key.path());
    }
    for (Key key : new Key[] {Keys.GW_LOOKUP_THREADS, Keys.WEB_LOOKUP_THREADS}) {
      assertEquals(StreamFront.DEFAULT_LOOKUP_THREADS, defaults.integer(key), key.path());
    }
    assertEquals(GatewaySettings.DEFAULT_PORT, defaults.integer(Keys.GW_PORT));
    assertEquals(GatewaySettings.DEFAULT_LISTEN_ADDRESS, defaults.text(Keys.GW_LISTEN_ADDRESS));
  }

  @Test
  void webDefaults() {
    assertEquals(WebSettings.DEFAULT_LISTEN_ADDRESS, defaults.text(Keys.WEB_LISTEN_ADDRESS));
    assertEquals(WebSettings.DEFAULT_PORT, defaults.integer(Keys.WEB_PORT));
    assertEquals(WebSettings.DEFAULT_SEND_BUFFER_BYTES, defaults.integer(Keys.WEB_SEND_BUFFER_BYTES));
    assertEquals(WebSettings.DEFAULT_SEND_BUFFER_BUDGET_BYTES, defaults.longValue(Keys.WEB_SEND_BUFFER_BUDGET_BYTES));
    assertEquals(WebSettings.DEFAULT_MAX_REQUEST_BYTES, defaults.integer(Keys.WEB_MAX_REQUEST_BYTES));
    assertEquals(WebSettings.DEFAULT_PING_INTERVAL, defaults.seconds(Keys.WEB_PING_INTERVAL));
    assertEquals(WebSettings.DEFAULT_SLOW_CLIENT_TIMEOUT, defaults.seconds(Keys.WEB_SLOW_CLIENT_TIMEOUT));
    assertEquals(WebSettings.DEFAULT_WEBSOCKET_COMPRESSION, defaults.bool(Keys.WEB_WEBSOCKET_COMPRESSION));
  }

  @Test
  void webhookAndAccessDefaults() {
    assertEquals(WebhookConnections.DEFAULT_MAX_BODY_BYTES, defaults.longValue(Keys.WEBHOOKS_MAX_BODY_BYTES));
    assertEquals(EventQueues.DEFAULT_PERSIST_TIMEOUT, defaults.seconds(Keys.WEBHOOKS_PERSIST_TIMEOUT));
    assertEquals(WebhookConnections.DEFAULT_TOKEN_LOOKUP_TIMEOUT, defaults.seconds(Keys.WEBHOOKS_TOKEN_LOOKUP_TIMEOUT));
    assertEquals(Duration.ofSeconds(AccessSettings.DEFAULT_RULES_WAIT_S), defaults.seconds(Keys.ACCESS_RULES_WAIT));
    assertEquals(Duration.ofSeconds(AccessSettings.DEFAULT_JWKS_MIN_REFETCH_S),
        defaults.seconds(Keys.ACCESS_JWKS_MIN_REFETCH));
    assertEquals(Duration.ofSeconds(AccessSettings.DEFAULT_JWKS_MAX_AGE_S), defaults.seconds(Keys.ACCESS_JWKS_MAX_AGE));
    assertEquals(Duration.ofSeconds(AccessSettings.DEFAULT_JWKS_FETCH_TIMEOUT_S),
        defaults.seconds(Keys.ACCESS_JWKS_FETCH_TIMEOUT));
  }
}
