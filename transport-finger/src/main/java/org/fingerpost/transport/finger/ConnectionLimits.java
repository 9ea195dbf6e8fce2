package org.fingerpost.transport.finger;

import java.util.function.LongSupplier;
import org.eclipse.jetty.server.ServerConnector;
import org.fingerpost.transport.finger.internal.ConnectionGate;

/**
 * How many connections one listener keeps open (docs/operations.md "Connection limits"): at most
 * {@link #maxConnections()} in all and {@link #maxConnectionsPerIp()} from one client address, with an
 * accept queue (the kernel's backlog of connections not yet accepted) of {@link #acceptQueue()}. A
 * connection past a limit is refused at once: on a plain port the listener writes its refusal text (for
 * finger {@value #REFUSAL}, for HTTP a {@code 503}) and closes; on a TLS port it closes without a word
 * (plain text would be garbage to a TLS client, and a handshake is what the limit saves). Used by the
 * finger listeners (streamer, gateway) and the web tier's HTTP connector alike.
 *
 * <p>Why not Jetty's {@code NetworkConnectionLimit} or {@code AcceptRateLimit}: both stop accepting
 * when their limit is reached, which leaves every further client waiting silently in the backlog
 * (then in SYN retries), the very symptom the limit is for; and neither knows client addresses. The
 * gate is Jetty's own hook for that, a {@link org.eclipse.jetty.io.SelectorManager.AcceptListener}.
 *
 * <p>Immutable and thread-safe. A limit of {@link #UNLIMITED} switches that limit off.
 */
public final class ConnectionLimits {
  /** A limit of 0 means none. */
  public static final int UNLIMITED = 0;
  /** Default of {@link #maxConnections()}: open connections of one listener, in all. */
  public static final int DEFAULT_MAX_CONNECTIONS = 8192;
  /**
   * Default of {@link #maxConnectionsPerIp()}: high, because the nodes relaying through a gateway (web
   * nodes, other zones' gateways) and every client behind one NAT come from one address.
   */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 1024;
  /** Default of {@link #acceptQueue()}, in connections (the JDK's default is 50; Linux caps it at {@code somaxconn}). */
  public static final int DEFAULT_ACCEPT_QUEUE = 1024;
  /** What a finger client past a limit reads before the close (no newline, like every finger error). */
  public static final String REFUSAL = "Too many connections";

  private static final ConnectionLimits DEFAULTS =
      new ConnectionLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_IP, DEFAULT_ACCEPT_QUEUE);

  private static final ConnectionLimits STREAMER_DEFAULTS =
      new ConnectionLimits(DEFAULT_MAX_CONNECTIONS, UNLIMITED, DEFAULT_ACCEPT_QUEUE);

  private final int maxConnections;
  private final int maxConnectionsPerIp;
  private final int acceptQueue;

  private ConnectionLimits(int maxConnections, int maxConnectionsPerIp, int acceptQueue) {
    this.maxConnections = maxConnections;
    this.maxConnectionsPerIp = maxConnectionsPerIp;
    this.acceptQueue = acceptQueue;
  }

  /** The documented defaults of a gateway's port. */
  public static ConnectionLimits defaults() {
    return DEFAULTS;
  }

  /**
   * The documented defaults of a streamer's port: no per-address limit, because its clients are the
   * gateways and web nodes, each one address with a connection per build it follows.
   */
  public static ConnectionLimits streamerDefaults() {
    return STREAMER_DEFAULTS;
  }

  /**
   * @param maxConnections open connections in all, or {@link #UNLIMITED}
   * @param maxConnectionsPerIp open connections from one client address, or {@link #UNLIMITED}
   * @param acceptQueue the listen backlog, in connections, at least 1
   * @throws IllegalArgumentException for a negative limit or an accept queue below 1, naming the key
   */
  public static ConnectionLimits of(int maxConnections, int maxConnectionsPerIp, int acceptQueue) {
    if (maxConnections < 0) {
      throw new IllegalArgumentException("max_connections must be 0 (no limit) or more, not " + maxConnections);
    }
    if (maxConnectionsPerIp < 0) {
      throw new IllegalArgumentException("max_connections_per_ip must be 0 (no limit) or more, not " + maxConnectionsPerIp);
    }
    if (acceptQueue < 1) {
      throw new IllegalArgumentException("accept_queue must be at least 1, not " + acceptQueue);
    }
    return new ConnectionLimits(maxConnections, maxConnectionsPerIp, acceptQueue);
  }

  public int maxConnections() {
    return maxConnections;
  }

  public int maxConnectionsPerIp() {
    return maxConnectionsPerIp;
  }

  public int acceptQueue() {
    return acceptQueue;
  }

  /**
   * Applies these limits to {@code connector} before it starts: its accept queue, and a gate that
   * refuses connections past a limit (writing {@code refusal} first when it is not null; pass null on
   * a TLS connector). Call once per connector, before its first connection factory is used.
   *
   * @param name names the listener in the refusal warnings
   * @return the number of refused connections so far (for metrics and tests)
   */
  public LongSupplier applyTo(ServerConnector connector, byte[] refusal, String name) {
    connector.setAcceptQueueSize(acceptQueue);
    ConnectionGate gate = new ConnectionGate(name, maxConnections, maxConnectionsPerIp, refusal);
    gate.install(connector);
    return gate::refusals;
  }

  @Override
  public String toString() {
    return "ConnectionLimits[max " + maxConnections + ", per IP " + maxConnectionsPerIp + ", accept queue "
        + acceptQueue + "]";
  }
}
