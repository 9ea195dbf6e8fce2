package org.fingerpost.packaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fingerpost.config.ConfigException;
import org.fingerpost.config.Configuration;
import org.fingerpost.config.Key;
import org.fingerpost.config.Keys;
import org.fingerpost.transport.ListenerTls;
import org.fingerpost.transport.TransportSettings;

/**
 * Turns the {@code tls_*} keys of the gateway's and the streamer's sections into the server factories
 * of their own ports (docs/design.md 3.5), built by the {@link ListenerTls} found with {@link
 * java.util.ServiceLoader} ({@code transport-tls}'s, with a certificate reloader closed with the
 * daemon). Outgoing hops' TLS is {@link org.fingerpost.webapp.NodeSettings#transports}'. No transport
 * class is named here; gateway and streamer themselves only see a Jetty {@link SslContextFactory.Server}.
 */
final class TlsWiring {
  private TlsWiring() {}

  /**
   * Certificate and key come together, and with them the CA (docs/design.md 3.5: mutual TLS; Zuul ignores a
   * pair without CA, which would leave the port plain without a word). A CA alone (trust only) is fine.
   */
  static void checkComplete(Configuration c, Key cert, Key key, Key ca) throws ConfigException {
    String section = cert.section();
    if (c.isSet(cert) != c.isSet(key)) {
      throw new ConfigException("Invalid configuration: section '" + section + "', keys 'tls_cert' and "
          + "'tls_key' must be set together");
    }
    if (c.isSet(cert) && !c.isSet(ca)) {
      throw new ConfigException("Invalid configuration: section '" + section + "': 'tls_cert' and "
          + "'tls_key' are set but 'tls_ca' is missing; TLS here is mutual and peers' certificates are checked "
          + "against it (set 'tls_ca', or remove 'tls_cert' and 'tls_key' for plain finger)");
    }
  }

  /** The gateway's TLS listener, or null when TLS is not configured or {@code tls_client_only} is set. */
  static SslContextFactory.Server gatewayListener(Configuration c, Daemon daemon) throws ConfigException {
    if (!complete(c, Keys.GW_TLS_CERT, Keys.GW_TLS_KEY, Keys.GW_TLS_CA) || c.bool(Keys.GW_TLS_CLIENT_ONLY)) {
      return null;
    }
    return listener(c, Keys.GW_TLS_CERT, Keys.GW_TLS_KEY, Keys.GW_TLS_CA, daemon);
  }

  /** The streamer's TLS listener, or null when the {@code executor} section sets no TLS files. */
  static SslContextFactory.Server streamerListener(Configuration c, Daemon daemon) throws ConfigException {
    if (!complete(c, Keys.EX_TLS_CERT, Keys.EX_TLS_KEY, Keys.EX_TLS_CA)) {
      return null;
    }
    return listener(c, Keys.EX_TLS_CERT, Keys.EX_TLS_KEY, Keys.EX_TLS_CA, daemon);
  }

  private static boolean complete(Configuration c, Key cert, Key key, Key ca) {
    return c.isSet(cert) && c.isSet(key) && c.isSet(ca);
  }

  private static SslContextFactory.Server listener(Configuration c, Key cert, Key key, Key ca, Daemon daemon)
      throws ConfigException {
    String section = cert.section();
    ListenerTls tls = find().orElseThrow(() -> new ConfigException("Invalid configuration: section '"
        + section + "' sets tls_cert, tls_key and tls_ca, but no TLS listener implementation ("
        + ListenerTls.class.getName() + ", fingerpost-transport-tls) is on the classpath"));
    Map<String, String> m = new LinkedHashMap<>();
    m.put(ListenerTls.CERT_KEY, c.text(cert));
    m.put(ListenerTls.KEY_KEY, c.text(key));
    m.put(ListenerTls.CA_KEY, c.text(ca));
    m.put(ListenerTls.PROVIDER_KEY, c.text(Keys.TR_TLS_PROVIDER));
    m.put(ListenerTls.RELOAD_INTERVAL_KEY, Long.toString(c.longValue(Keys.TR_TLS_RELOAD_INTERVAL_MS)));
    try {
      return tls.listener(SslContextFactory.Server.class, new TransportSettings(m), daemon::add);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid configuration: section 'transports': " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ConfigException("Invalid configuration: section '" + section + "', TLS files: "
          + e.getMessage(), e);
    }
  }

  /**
   * {@code fingerpost_tls_provider{provider="Conscrypt"|"SunJSSE"}} = 1: which TLS implementation this
   * daemon uses (Conscrypt unless its native library could not load).
   */
  static void registerProviderGauge(MeterRegistry registry) {
    find().flatMap(ListenerTls::provider).ifPresent(provider ->
        Gauge.builder("fingerpost.tls.provider", () -> 1).tag("provider", provider)
            .description("The TLS provider in use (1 for the one in use)").register(registry));
  }

  /** The listener TLS on the daemon's classpath (where the built-in transports are found too). */
  private static Optional<ListenerTls> find() {
    return ListenerTls.find(Main.class.getClassLoader());
  }
}
