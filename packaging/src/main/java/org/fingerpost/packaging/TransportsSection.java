package org.fingerpost.packaging;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fingerpost.transport.TransportSettings;

/** The {@code transports} section: plugin discovery and the settings every transport reads. */
public final class TransportsSection {
  /** Directory of third-party transport jars, relative to the working directory. */
  public String pluginsDir = "plugins";
  /** Milliseconds to establish an upstream connection. */
  public long connectTimeoutMs = 5000;
  /** Bytes read from an upstream at a time (one such buffer in flight per stream). */
  public int bufferBytes = 64 * 1024;
  /** TLS provider: {@code conscrypt} (falls back to the JDK's with a warning) or {@code jdk}. */
  public String tlsProvider = "conscrypt";
  /** Milliseconds between checks of the TLS files for a replaced certificate, key or CA. */
  public long tlsReloadIntervalMs = 30_000;

  Path pluginsPath() {
    return pluginsDir == null || pluginsDir.isBlank() ? null : Path.of(pluginsDir);
  }

  TransportSettings toSettings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("connect_timeout", Long.toString(connectTimeoutMs));
    m.put("buffer_bytes", Integer.toString(bufferBytes));
    m.put("tls_provider", tlsProvider);
    m.put("tls_reload_interval_ms", Long.toString(tlsReloadIntervalMs));
    return new TransportSettings(m);
  }
}
