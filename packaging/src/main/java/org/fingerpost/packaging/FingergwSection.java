package org.fingerpost.packaging;

import java.time.Duration;
import org.fingerpost.gateway.GatewayConfig;

/** The {@code fingergw} section: the finger gateway. Keys and defaults as in Zuul's zuul.conf. */
public final class FingergwSection {
  public String listenAddress = GatewayConfig.DEFAULT_LISTEN_ADDRESS;
  public int port = GatewayConfig.DEFAULT_PORT;
  /** The port others reach this gateway on (NAT, Route); defaults to {@link #port}. */
  public Integer publicPort;
  /** The name others reach this gateway by; defaults to this host's FQDN. */
  public String hostname;
  public String zone;
  /** Accepted for zuul.conf compatibility; run as the intended user instead (README). */
  public String user;
  /** Seconds a client has to send its request line. */
  public double requestTimeout = 10;

  GatewayConfig toGatewayConfig() throws ConfigFile.ConfigException {
    GatewayConfig.Builder b = GatewayConfig.builder()
        .listenAddress(listenAddress)
        .port(checkPort("port", port))
        .publicPort(publicPort == null ? null : checkPort("public_port", publicPort))
        .zone(zone)
        .requestTimeout(Duration.ofMillis(Math.round(requestTimeout * 1000)));
    if (hostname != null && !hostname.isBlank()) {
      b.hostname(hostname);
    }
    return b.build();
  }

  private static int checkPort(String key, int port) throws ConfigFile.ConfigException {
    if (port < 0 || port > 65535) {
      throw new ConfigFile.ConfigException(
          "Invalid configuration: section 'fingergw', key '" + key + "' must be a port (0-65535), not " + port);
    }
    return port;
  }

  /** Port of the monitoring endpoint (/health/live, /health/ready, /metrics); -1 turns it off. */
  public int monitoringPort = 8079;

  int checkedMonitoringPort() throws ConfigFile.ConfigException {
    if (monitoringPort != MonitoringServer.DISABLED && (monitoringPort < 0 || monitoringPort > 65535)) {
      throw new ConfigFile.ConfigException("Invalid configuration: section 'fingergw', key 'monitoring_port' must "
          + "be a port (0-65535) or -1 (off), not " + monitoringPort);
    }
    return monitoringPort;
  }
}
