package org.fingerpost.packaging;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitoring keys of a daemon's section ({@code fingergw}, {@code executor}, {@code web}), Zuul's
 * (docs/design.md 3.6): {@code prometheus_port} (unset: no monitoring listener at all; 0: any free port)
 * and {@code prometheus_addr} (default {@value MonitoringServer#DEFAULT_ADDRESS}). Read from YAML,
 * {@code FINGERPOST_<SECTION>_PROMETHEUS_PORT} variables and zuul.conf alike; plus Fingerpost's
 * deprecated YAML key {@code monitoring_port}.
 */
public abstract class MonitoredSection {
  private static final Logger LOG = LoggerFactory.getLogger(MonitoredSection.class);

  /** Port of the monitoring listener; unset (null): no listener; 0: any free port. */
  public Integer prometheusPort;
  /** Address of the monitoring listener; unset: {@value MonitoringServer#DEFAULT_ADDRESS}. */
  public String prometheusAddr;
  /**
   * Deprecated alias of {@link #prometheusPort} (Fingerpost's YAML key before Zuul's was adopted; no
   * default; {@link MonitoringServer#DISABLED} turns it off). Used, with a warning naming {@code
   * prometheus_port}, only when that is unset; bound, unless {@code prometheus_addr} is set, to the
   * section's {@code listen_address} as it was before.
   */
  public Integer monitoringPort;

  private final String sectionName;

  /** @param sectionName the section's name in the file, in variables and in messages */
  protected MonitoredSection(String sectionName) {
    this.sectionName = sectionName;
  }

  /** Where a monitoring listener is to be bound. */
  record Listener(String address, int port) {}

  /** The section's name in the file, in variables and in messages. */
  final String sectionName() {
    return sectionName;
  }

  /** The section's {@code listen_address}: where the deprecated {@code monitoring_port} binds. */
  abstract String listenAddress();

  /**
   * The listener this section asks for, or empty when neither {@code prometheus_port} nor the
   * deprecated {@code monitoring_port} is set.
   *
   * @throws ConfigFile.ConfigException when the port is not a port
   */
  final Optional<Listener> monitoringListener() throws ConfigFile.ConfigException {
    String address = prometheusAddr == null || prometheusAddr.isBlank() ? null : prometheusAddr.trim();
    if (prometheusPort != null) {
      if (monitoringPort != null) {
        LOG.warn("Section '{}': 'monitoring_port' is deprecated and ignored since 'prometheus_port' is set; "
            + "remove it", sectionName);
      }
      return Optional.of(new Listener(address == null ? MonitoringServer.DEFAULT_ADDRESS : address,
          checkPort("prometheus_port", prometheusPort)));
    }
    if (monitoringPort == null) {
      return Optional.empty();
    }
    LOG.warn("Section '{}': 'monitoring_port' is deprecated; use 'prometheus_port' (and 'prometheus_addr') "
        + "instead, as in zuul.conf", sectionName);
    if (monitoringPort == MonitoringServer.DISABLED) {
      return Optional.empty();
    }
    return Optional.of(new Listener(address == null ? listenAddress() : address,
        checkPort("monitoring_port", monitoringPort)));
  }

  private int checkPort(String key, int port) throws ConfigFile.ConfigException {
    if (port < 0 || port > 65535) {
      throw new ConfigFile.ConfigException("Invalid configuration: section '" + sectionName() + "', key '" + key
          + "' must be a port (0-65535), not " + port);
    }
    return port;
  }
}
