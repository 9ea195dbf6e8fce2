package org.fingerpost.packaging;

import java.time.Duration;
import org.fingerpost.registry.RegistryConfig;

/** The {@code zookeeper} section: where the registry is. Keys and defaults as in Zuul's zuul.conf. */
public final class ZookeeperSection {
  /** Comma-separated {@code host:port} list, optionally with a chroot suffix; required by daemons. */
  public String hosts;
  /** Seconds without contact before ZooKeeper ends the session (Zuul's default). */
  public double sessionTimeout = 120;
  /** Seconds to wait for the first connection at start before carrying on in the background. */
  public double connectionTimeout = 10;
  /** The registry's root node; Zuul uses {@code /zuul}. */
  public String root = "/zuul";
  /** Data-model version registered while no Zuul component is present to follow (docs/configuration.md). */
  public int modelApi = RegistryConfig.DEFAULT_MODEL_API;
  /** Zuul's ZooKeeper TLS files (PEM; the key PKCS#8, PKCS#1 RSA or SEC1 EC): all three or none, see docs/tls.md. */
  public String tlsCert;
  public String tlsKey;
  public String tlsCa;

  RegistryConfig toRegistryConfig(String fallbackHosts) throws ConfigFile.ConfigException {
    String h = hosts != null && !hosts.isBlank() ? hosts : fallbackHosts;
    if (h == null || h.isBlank()) {
      throw new ConfigFile.ConfigException("Invalid configuration: section 'zookeeper', key 'hosts' is required");
    }
    int tls = (blank(tlsCert) ? 0 : 1) + (blank(tlsKey) ? 0 : 1) + (blank(tlsCa) ? 0 : 1);
    if (tls != 0 && tls != 3) {
      throw new ConfigFile.ConfigException("Invalid configuration: section 'zookeeper', keys 'tls_cert', "
          + "'tls_key' and 'tls_ca' must be given together");
    }
    if (modelApi < 0) {
      throw new ConfigFile.ConfigException("Invalid configuration: section 'zookeeper', key 'model_api' must not be "
          + "negative, not " + modelApi);
    }
    return RegistryConfig.builder(h)
        .modelApi(modelApi)
        .sessionTimeout(seconds("session_timeout", sessionTimeout))
        .connectionTimeout(seconds("connection_timeout", connectionTimeout))
        .root(root)
        .tlsCert(tlsCert == null || tlsCert.isBlank() ? null : java.nio.file.Path.of(tlsCert))
        .tlsKey(tlsKey == null || tlsKey.isBlank() ? null : java.nio.file.Path.of(tlsKey))
        .tlsCa(tlsCa == null || tlsCa.isBlank() ? null : java.nio.file.Path.of(tlsCa))
        .build();
  }

  static Duration seconds(String key, double value) throws ConfigFile.ConfigException {
    if (!(value > 0)) {
      throw new ConfigFile.ConfigException("Invalid configuration: section 'zookeeper', key '" + key
          + "' must be a positive number of seconds, not " + value);
    }
    return Duration.ofMillis(Math.round(value * 1000));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
