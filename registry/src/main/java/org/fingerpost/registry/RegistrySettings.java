package org.fingerpost.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.apache.curator.utils.PathUtils;

/**
 * How to reach the ZooKeeper registry: Zuul's {@code [zookeeper]} section plus the root path.
 * Immutable and thread-safe; build with {@link #builder()}.
 *
 * <p>Defaults follow Zuul: session timeout {@value #DEFAULT_SESSION_TIMEOUT_SECONDS} s, connection
 * timeout {@value #DEFAULT_CONNECTION_TIMEOUT_SECONDS} s, root {@value #DEFAULT_ROOT}.
 *
 * <p><b>TLS.</b> With {@code tls_cert}, {@code tls_key} (PKCS#8, PKCS#1 RSA or SEC1 EC) and {@code tls_ca}
 * (PEM files, as in Zuul, read as finger TLS reads them) the client connects over TLS, presenting the certificate and verifying the servers against
 * the CA and their hostnames; give all three or none.
 */
public final class RegistrySettings {
  /** Zuul's default ZooKeeper session timeout, in seconds. */
  public static final int DEFAULT_SESSION_TIMEOUT_SECONDS = 120;
  /** How long {@link Registry#connect} waits for the first connection by default, in seconds. */
  public static final int DEFAULT_CONNECTION_TIMEOUT_SECONDS = 10;
  /** Zuul's ZooKeeper root. */
  public static final String DEFAULT_ROOT = "/zuul";
  /**
   * The {@code model_api} registered while no Zuul component is in the registry: Zuul 11's {@code
   * MODEL_API}. Next to Zuul, registrations follow Zuul's own components instead ({@link ModelApi}).
   */
  public static final int DEFAULT_MODEL_API = 33;

  private final String hosts;
  private final Duration sessionTimeout;
  private final Duration connectionTimeout;
  private final String root;
  private final Path tlsCert;
  private final Path tlsKey;
  private final Path tlsCa;
  private final int modelApi;
  private final boolean nettyClient;

  private RegistrySettings(Builder b) {
    this.hosts = b.hosts;
    this.sessionTimeout = b.sessionTimeout;
    this.connectionTimeout = b.connectionTimeout;
    this.root = b.root;
    this.tlsCert = b.tlsCert;
    this.tlsKey = b.tlsKey;
    this.tlsCa = b.tlsCa;
    this.modelApi = b.modelApi;
    this.nettyClient = b.nettyClient;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder with {@code hosts} set and every other setting at its default. */
  public static Builder builder(String hosts) {
    return new Builder().hosts(hosts);
  }

  /** The ZooKeeper connect string, {@code host:port[,host:port...][/chroot]}. */
  public String hosts() {
    return hosts;
  }

  /** The session timeout asked of ZooKeeper (the server may clamp it to its own bounds). */
  public Duration sessionTimeout() {
    return sessionTimeout;
  }

  /**
   * How long {@link Registry#connect} waits for the first connection, and how long one Curator
   * operation waits for a lost connection before it counts as a failed attempt.
   */
  public Duration connectionTimeout() {
    return connectionTimeout;
  }

  /** The root under which Zuul's tree lives, without a trailing slash ({@code /zuul}). */
  public String root() {
    return root;
  }

  /** Client certificate (PEM) for ZooKeeper TLS, or null. */
  public Path tlsCert() {
    return tlsCert;
  }

  /** Client key (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC) for ZooKeeper TLS, or null. */
  public Path tlsKey() {
    return tlsKey;
  }

  /** CA bundle (PEM) for ZooKeeper TLS, or null. */
  public Path tlsCa() {
    return tlsCa;
  }

  /** Whether any ZooKeeper TLS setting is present. */
  public boolean tlsConfigured() {
    return tlsCert != null || tlsKey != null || tlsCa != null;
  }

  /**
   * The {@code model_api} this node's components register with while no Zuul component is present to
   * follow (before the first one is seen); see {@link ModelApi}.
   */
  public int modelApi() {
    return modelApi;
  }

  /**
   * Whether the ZooKeeper client uses its Netty socket ({@code zookeeper.client_socket: netty}) instead
   * of its default NIO one. Netty writes every request queued since its last flush in one system call,
   * where NIO writes one per select: under many writes at once (webhooks) the client costs less CPU.
   * ZooKeeper TLS always uses Netty.
   */
  public boolean nettyClient() {
    return nettyClient;
  }

  public Builder toBuilder() {
    return new Builder()
        .hosts(hosts)
        .sessionTimeout(sessionTimeout)
        .connectionTimeout(connectionTimeout)
        .root(root)
        .tlsCert(tlsCert)
        .tlsKey(tlsKey)
        .tlsCa(tlsCa)
        .modelApi(modelApi)
        .nettyClient(nettyClient);
  }

  @Override
  public String toString() {
    return "RegistrySettings{hosts=" + hosts + ", root=" + root + ", sessionTimeout=" + sessionTimeout
        + ", connectionTimeout=" + connectionTimeout + ", modelApi=" + modelApi + (tlsConfigured() ? ", tls" : "")
        + (nettyClient ? ", netty" : "") + "}";
  }

  /** Builds a {@link RegistrySettings}; {@link #hosts} is required. Not thread-safe. */
  public static final class Builder {
    private String hosts;
    private Duration sessionTimeout = Duration.ofSeconds(DEFAULT_SESSION_TIMEOUT_SECONDS);
    private Duration connectionTimeout = Duration.ofSeconds(DEFAULT_CONNECTION_TIMEOUT_SECONDS);
    private String root = DEFAULT_ROOT;
    private Path tlsCert;
    private Path tlsKey;
    private Path tlsCa;
    private int modelApi = DEFAULT_MODEL_API;
    private boolean nettyClient;

    private Builder() {}

    public Builder hosts(String hosts) {
      this.hosts = hosts;
      return this;
    }

    public Builder sessionTimeout(Duration sessionTimeout) {
      this.sessionTimeout = Objects.requireNonNull(sessionTimeout, "sessionTimeout");
      return this;
    }

    public Builder connectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = Objects.requireNonNull(connectionTimeout, "connectionTimeout");
      return this;
    }

    /** The root path; a trailing slash is dropped. */
    public Builder root(String root) {
      this.root = Objects.requireNonNull(root, "root");
      return this;
    }

    public Builder tlsCert(Path tlsCert) {
      this.tlsCert = tlsCert;
      return this;
    }

    public Builder tlsKey(Path tlsKey) {
      this.tlsKey = tlsKey;
      return this;
    }

    public Builder tlsCa(Path tlsCa) {
      this.tlsCa = tlsCa;
      return this;
    }

    /** See {@link RegistrySettings#modelApi()}; default {@value RegistrySettings#DEFAULT_MODEL_API}. */
    public Builder modelApi(int modelApi) {
      if (modelApi < 0) {
        throw new IllegalArgumentException("model_api must not be negative: " + modelApi);
      }
      this.modelApi = modelApi;
      return this;
    }

    /** See {@link RegistrySettings#nettyClient()}; default false (ZooKeeper's NIO socket). */
    public Builder nettyClient(boolean nettyClient) {
      this.nettyClient = nettyClient;
      return this;
    }

    /**
     * @throws IllegalArgumentException when {@code hosts} is missing, a timeout is not a positive
     *     number of milliseconds that fits an {@code int}, or the root is not an absolute ZooKeeper path
     */
    public RegistrySettings build() {
      if (hosts == null || hosts.isBlank()) {
        throw new IllegalArgumentException("ZooKeeper hosts are required");
      }
      hosts = hosts.trim();
      checkMillis("sessionTimeout", sessionTimeout);
      checkMillis("connectionTimeout", connectionTimeout);
      String r = root.trim();
      while (r.length() > 1 && r.endsWith("/")) {
        r = r.substring(0, r.length() - 1);
      }
      PathUtils.validatePath(r);
      root = r;
      return new RegistrySettings(this);
    }

    private static void checkMillis(String name, Duration d) {
      if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(name + " must be positive and at most " + Integer.MAX_VALUE
            + " ms: " + d);
      }
    }
  }
}
