package org.fingerpost.packaging;

import java.nio.file.Path;
import java.time.Duration;
import org.fingerpost.streamer.StreamerConfig;

/**
 * The {@code executor} section: the log streamer on an executor host. {@code finger_port}, {@code
 * job_dir} and {@code zone} are Zuul's keys; the others are Fingerpost's.
 */
public final class ExecutorSection extends MonitoredSection {
  public String listenAddress = "::";
  public int fingerPort = 7900;
  public String jobDir;
  public String zone;
  /** The name gateways reach this streamer by; defaults to this host's FQDN. */
  public String hostname;
  /** Tenant written into the build nodes this streamer publishes. */
  public String tenant = "default";
  /** Publish build nodes for the job directory (standalone); false next to a real Zuul. */
  public boolean publishBuilds = true;
  /** Milliseconds between fallback polls of followed log files. */
  public long pollIntervalMs = 250;
  /** PEM certificate of the streamer's finger port; with key and CA the port speaks mutual TLS. */
  public String tlsCert;
  /** PEM private key of {@link #tlsCert}. */
  public String tlsKey;
  /** PEM CA bundle that gateways' client certificates must be signed by. */
  public String tlsCa;

  /** Whether certificate, key and CA are all set: the finger port then speaks mutual TLS. */
  boolean tlsConfigured() {
    return TlsWiring.isSet(tlsCert) && TlsWiring.isSet(tlsKey) && TlsWiring.isSet(tlsCa);
  }

  StreamerConfig toStreamerConfig() throws ConfigFile.ConfigException {
    if (jobDir == null || jobDir.isBlank()) {
      throw new ConfigFile.ConfigException("Invalid configuration: section 'executor', key 'job_dir' is required");
    }
    if (fingerPort < 0 || fingerPort > 65535) {
      throw new ConfigFile.ConfigException(
          "Invalid configuration: section 'executor', key 'finger_port' must be a port (0-65535), not " + fingerPort);
    }
    if (pollIntervalMs <= 0) {
      throw new ConfigFile.ConfigException(
          "Invalid configuration: section 'executor', key 'poll_interval_ms' must be positive, not " + pollIntervalMs);
    }
    TlsWiring.checkComplete("executor", tlsCert, tlsKey, tlsCa);
    StreamerConfig.Builder b = StreamerConfig.builder()
        .listenAddress(listenAddress)
        .port(fingerPort)
        .jobDir(Path.of(jobDir))
        .zone(zone)
        .tenant(tenant)
        .publishBuilds(publishBuilds)
        .pollInterval(Duration.ofMillis(pollIntervalMs));
    if (hostname != null && !hostname.isBlank()) {
      b.hostname(hostname);
    }
    return b.build();
  }

  public ExecutorSection() {
    super("executor");
  }

  @Override
  String listenAddress() {
    return listenAddress;
  }
}
