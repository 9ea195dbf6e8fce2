package org.fingerpost.packaging;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.fingerpost.transport.TransportSettings;
import org.fingerpost.transport.tls.CertificateReloader;
import org.fingerpost.transport.tls.TlsContexts;
import org.fingerpost.transport.tls.TlsProvider;
import org.fingerpost.transport.tls.TlsSettings;

/**
 * Turns the {@code tls_*} keys of the configuration into TLS for the daemons (DESIGN.md 3.5), with
 * {@code transport-tls} as the one code path: the transports' settings for outgoing hops, and the
 * server factories (with a {@link CertificateReloader} each) for the gateway's and the streamer's
 * own ports. Gateway and streamer themselves only see a Jetty {@link SslContextFactory.Server}.
 */
final class TlsWiring {

  private TlsWiring() {}

  static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }

  /**
   * Certificate and key come together, and with them the CA (DESIGN.md 3.5: mutual TLS; Zuul ignores a
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
    putIfSet(m, TlsSettings.CERT_KEY, gw.tlsCert);
    putIfSet(m, TlsSettings.KEY_KEY, gw.tlsKey);
    putIfSet(m, TlsSettings.CA_KEY, gw.tlsCa);
    m.put(TlsSettings.VERIFY_HOSTNAMES_KEY, Boolean.toString(gw.tlsVerifyHostnames));
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
    TlsSettings settings;
    try {
      settings = TlsSettings.builder().cert(Path.of(cert)).key(Path.of(key)).ca(Path.of(ca))
          .provider(TlsProvider.Preference.parse(config.transports.tlsProvider))
          .reloadInterval(Duration.ofMillis(config.transports.tlsReloadIntervalMs))
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigFile.ConfigException("Invalid configuration: section 'transports': " + e.getMessage(), e);
    }
    try {
      SslContextFactory.Server factory = TlsContexts.server(settings);
      daemon.add(CertificateReloader.start(factory, settings));
      return factory;
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
    String provider = TlsProvider.inUse();
    if (provider != null) {
      Gauge.builder("fingerpost.tls.provider", () -> 1).tag("provider", provider)
          .description("The TLS provider in use (1 for the one in use)").register(registry);
    }
  }

  private static void putIfSet(Map<String, String> m, String key, String value) {
    if (isSet(value)) {
      m.put(key, value);
    }
  }
}
