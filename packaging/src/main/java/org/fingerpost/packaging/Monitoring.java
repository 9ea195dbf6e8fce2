package org.fingerpost.packaging;

import java.util.Optional;
import org.fingerpost.config.ConfigException;
import org.fingerpost.config.Configuration;
import org.fingerpost.config.Key;
import org.fingerpost.config.Keys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitoring keys of a daemon's section ({@code fingergw}, {@code executor}, {@code web}), Zuul's
 * (docs/design.md 3.6): {@code prometheus_port} (unset: no monitoring listener at all; 0: any free port)
 * and {@code prometheus_addr} (default {@value MonitoringServer#DEFAULT_ADDRESS}); plus Fingerpost's
 * deprecated key {@code monitoring_port}, used with a warning only when {@code prometheus_port} is
 * unset and bound, unless {@code prometheus_addr} is set, to the section's {@code listen_address}
 * ({@link MonitoringServer#DISABLED} turns it off). Stateless.
 */
final class Monitoring {
  private static final Logger LOG = LoggerFactory.getLogger(Monitoring.class);

  private Monitoring() {}

  /** Where a monitoring listener is to be bound. */
  record Listener(String address, int port) {}

  /**
   * The listener {@code section} asks for, or empty when neither {@code prometheus_port} nor the
   * deprecated {@code monitoring_port} is set.
   *
   * @throws ConfigException when the port is not a port
   */
  static Optional<Listener> listener(Configuration c, String section) throws ConfigException {
    Key portKey = Keys.find(section, "prometheus_port");
    Key deprecated = Keys.find(section, "monitoring_port");
    Key addressKey = Keys.find(section, "prometheus_addr");
    boolean addressSet = c.isSet(addressKey);
    String address = addressSet ? c.text(addressKey) : addressKey.defaultValue();
    Integer port = c.optionalInteger(portKey);
    Integer old = c.optionalInteger(deprecated);
    if (port != null) {
      if (old != null) {
        LOG.warn("Section '{}': 'monitoring_port' is deprecated and ignored since 'prometheus_port' is set; "
            + "remove it", section);
      }
      return Optional.of(new Listener(address, checkPort(portKey, port)));
    }
    if (old == null) {
      return Optional.empty();
    }
    LOG.warn("Section '{}': 'monitoring_port' is deprecated; use 'prometheus_port' (and 'prometheus_addr') "
        + "instead, as in zuul.conf", section);
    if (old == MonitoringServer.DISABLED) {
      return Optional.empty();
    }
    return Optional.of(new Listener(addressSet ? address : c.text(Keys.find(section, "listen_address")),
        checkPort(deprecated, old)));
  }

  private static int checkPort(Key key, int port) throws ConfigException {
    if (port < 0 || port > 65535) {
      throw ConfigException.invalid(key, "must be a port (0-65535), not " + port);
    }
    return port;
  }
}
