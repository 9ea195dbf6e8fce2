package org.fingerpost.packaging;

import java.time.Duration;
import org.fingerpost.gateway.GatewayConfig;

/** The {@code fingergw} section: the finger gateway. Keys and defaults as in Zuul's zuul.conf. */
public final class FingergwSection extends MonitoredSection {
  public String listenAddress = GatewayConfig.DEFAULT_LISTEN_ADDRESS;
  public int port = GatewayConfig.DEFAULT_PORT;
  /** The port others reach this gateway on (NAT, Route); defaults to {@link #port}. */
  public Integer publicPort;
  /** The name others reach this gateway by; defaults to this host's FQDN. */
  public String hostname;
  public String zone;
  /** Accepted for zuul.conf compatibility; run as the intended user instead (docs/operations.md, "Without root"). */
  public String user;
  /** Seconds a client has to send its request line. */
  public double requestTimeout = 10;
  /** Threads doing the registry lookups of new clients. */
  public int lookupThreads = org.fingerpost.streams.StreamFront.DEFAULT_LOOKUP_THREADS;
  /** Bytes of each shared build log kept for late-joining clients (issue 6). */
  public long sharedWindowBytes = org.fingerpost.streams.SharedStreams.DEFAULT_WINDOW_BYTES;
  /** Bytes that may wait for one client behind its shared upstream before it is dropped. */
  public long viewerBufferBytes = org.fingerpost.streams.SharedStreams.DEFAULT_VIEWER_BUFFER_BYTES;
  /** PEM certificate (chain) of this gateway: served on its port, presented on its outgoing hops. */
  public String tlsCert;
  /** PEM private key of {@link #tlsCert} (PKCS#8, PKCS#1 RSA or SEC1 EC). */
  public String tlsKey;
  /** PEM CA bundle: peers (clients, gateways, streamers) must present certificates it signed. */
  public String tlsCa;
  /** Check the peer's certificate against the name dialled on outgoing TLS hops. */
  public boolean tlsVerifyHostnames = true;
  /** TLS only on outgoing hops; this gateway's own port stays plain finger. */
  public boolean tlsClientOnly;

  /** Whether certificate, key and CA are all set (Zuul: then every hop of this gateway is TLS). */
  boolean tlsConfigured() {
    return TlsWiring.isSet(tlsCert) && TlsWiring.isSet(tlsKey) && TlsWiring.isSet(tlsCa);
  }

  GatewayConfig toGatewayConfig() throws ConfigFile.ConfigException {
    return toGatewayConfigBuilder().build();
  }

  /** The gateway settings without a TLS listener; {@link GatewayCommand} adds it (see {@link TlsWiring}). */
  GatewayConfig.Builder toGatewayConfigBuilder() throws ConfigFile.ConfigException {
    TlsWiring.checkComplete("fingergw", tlsCert, tlsKey, tlsCa);
    GatewayConfig.Builder b = GatewayConfig.builder()
        .listenAddress(listenAddress)
        .port(checkPort("port", port))
        .publicPort(publicPort == null ? null : checkPort("public_port", publicPort))
        .zone(zone)
        .requestTimeout(Duration.ofMillis(Math.round(requestTimeout * 1000)));
    try {
      b.sharedWindowBytes(sharedWindowBytes).viewerBufferBytes(viewerBufferBytes).lookupThreads(lookupThreads);
    } catch (IllegalArgumentException e) {
      throw new ConfigFile.ConfigException("Invalid configuration: section 'fingergw': " + e.getMessage(), e);
    }
    if (hostname != null && !hostname.isBlank()) {
      b.hostname(hostname);
    }
    return b;
  }

  private static int checkPort(String key, int port) throws ConfigFile.ConfigException {
    if (port < 0 || port > 65535) {
      throw new ConfigFile.ConfigException(
          "Invalid configuration: section 'fingergw', key '" + key + "' must be a port (0-65535), not " + port);
    }
    return port;
  }

  public FingergwSection() {
    super("fingergw");
  }

  @Override
  String listenAddress() {
    return listenAddress;
  }
}
