package org.fingerpost.packaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fingerpost.transport.ListenerTls;
import org.fingerpost.transport.TransportSettings;

/**
 * Turns the {@code tls_*} keys of the configuration into TLS for the daemons (docs/design.md 3.5): the
 * transports' settings for outgoing hops, and the server factories for the gateway's and the
 * streamer's own ports, built by the {@link ListenerTls} found with {@link java.util.ServiceLoader}
 * ({@code transport-tls}'s, with a certificate reloader closed with the daemon). No transport class is
 * named here; gateway and streamer themselves only see a Jetty {@link SslContextFactory.Server}.
 */
final class TlsWiring {
  private TlsWiring() {}

  static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }

  /**
   * Certificate and key come together, and with them the CA (docs/design.md 3.5: mutual TLS; Zuul ignores a
   * pair without CA, which would leave the port plain without a word). A CA alone (trust only) is fine.
   */
  static void checkComplete(String section, String cert, String key, String ca) throws ConfigFile.ConfigException {
    if (isSet(cert) != isSet(key)) {
      throw new ConfigFile.ConfigException("Invalid configuration: section '" + section + "', keys 'tls_cert' and "
          + "'tls_key' must be set together");
    }
    if (isSet(cert) && !isSet(ca)) {
      throw new ConfigFile.ConfigException("Invalid configuration: section '" + section + "': 'tls_cert' and "
          + "'tls_key' are set but 'tls_ca' is missing; TLS here is mutual and peers' certificates are checked "
          + "against it (set 'tls_ca', or remove 'tls_cert' and 'tls_key' for plain finger)");
    }
  }

  /**
   * The settings every transport reads: the {@code transports} section plus, for the {@code tls}
   * transport, the {@code fingergw} {@code tls_*} keys (Zuul uses them for the gateway's outgoing hops).
   */
  static TransportSettings transportSettings(ConfigFile config) {
    Map<String, String> m = new LinkedHashMap<>(config.transports.toSettings().asMap());
    FingergwSection gw = config.fingergw;
    putIfSet(m, ListenerTls.CERT_KEY, gw.tlsCert);
    putIfSet(m, ListenerTls.KEY_KEY, gw.tlsKey);
    putIfSet(m, ListenerTls.CA_KEY, gw.tlsCa);
    m.put(ListenerTls.VERIFY_HOSTNAMES_KEY, Boolean.toString(gw.tlsVerifyHostnames));
    return new TransportSettings(m);
  }

  /** The gateway's TLS listener, or null when TLS is not configured or {@code tls_client_only} is set. */
  static SslContextFactory.Server gatewayListener(ConfigFile config, Daemon daemon) throws ConfigFile.ConfigException {
    FingergwSection gw = config.fingergw;
    if (!gw.tlsConfigured() || gw.tlsClientOnly) {
      return null;
    }
    return listener("fingergw", gw.tlsCert, gw.tlsKey, gw.tlsCa, config, daemon);
  }

  /** The streamer's TLS listener, or null when the {@code executor} section sets no TLS files. */
  static SslContextFactory.Server streamerListener(ConfigFile config, Daemon daemon) throws ConfigFile.ConfigException {
    ExecutorSection ex = config.executor;
    if (!ex.tlsConfigured()) {
      return null;
    }
    return listener("executor", ex.tlsCert, ex.tlsKey, ex.tlsCa, config, daemon);
  }

  private static SslContextFactory.Server listener(String section, String cert, String key, String ca,
      ConfigFile config, Daemon daemon) throws ConfigFile.ConfigException {
    ListenerTls tls = find().orElseThrow(() -> new ConfigFile.ConfigException("Invalid configuration: section '"
        + section + "' sets tls_cert, tls_key and tls_ca, but no TLS listener implementation ("
        + ListenerTls.class.getName() + ", fingerpost-transport-tls) is on the classpath"));
    Map<String, String> m = new LinkedHashMap<>();
    m.put(ListenerTls.CERT_KEY, cert);
    m.put(ListenerTls.KEY_KEY, key);
    m.put(ListenerTls.CA_KEY, ca);
    m.put(ListenerTls.PROVIDER_KEY, config.transports.tlsProvider);
    m.put(ListenerTls.RELOAD_INTERVAL_KEY, Long.toString(config.transports.tlsReloadIntervalMs));
    try {
      return tls.listener(SslContextFactory.Server.class, new TransportSettings(m), daemon::add);
    } catch (IllegalArgumentException e) {
      throw new ConfigFile.ConfigException("Invalid configuration: section 'transports': " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ConfigFile.ConfigException("Invalid configuration: section '" + section + "', TLS files: "
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

  private static void putIfSet(Map<String, String> m, String key, String value) {
    if (isSet(value)) {
      m.put(key, value);
    }
  }
}
