package org.fingerpost.transport.finger.internal;

import java.net.InetAddress;
import java.nio.channels.SelectableChannel;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.IO;
import org.fingerpost.transport.ConnectionCounts;
import org.fingerpost.transport.RateLimitedWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection limits of one listener ({@link org.fingerpost.transport.finger.ConnectionLimits}):
 * Jetty tells it of every accepted socket ({@link SelectorManager.AcceptListener}, before a connection
 * exists) and of every close; it counts the open sockets in all and per client address (the SPI's
 * {@link ConnectionCounts}, which the web port's limit shares) and marks the ones past a limit. On a port with a refusal text it is also the connector's first connection factory,
 * which gives a marked socket a {@link RefusingConnection} and every other socket the next protocol's
 * connection (finger, HTTP, or TLS); on a TLS port a marked socket is closed at once.
 *
 * <p>At most {@link #MAX_LINGERING_REFUSALS} refusals are being written at a time; past that a refused
 * socket is closed without its text, so that a flood of connects cannot hold more than that many extra
 * files.
 *
 * <p><b>Threads.</b> Called on the acceptor and selector threads; the lingering refusals are guarded by
 * this object's lock (held for a set operation), the counts by their own.
 */
public final class ConnectionGate extends AbstractConnectionFactory implements SelectorManager.AcceptListener {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);
  /** Refused sockets kept open at a time to write their refusal and close gracefully. */
  public static final int MAX_LINGERING_REFUSALS = 64;

  private final String name;
  private final ConnectionCounts counts;
  private final byte[] refusal;
  /** The protocol refused sockets do not get: the connector's default before the gate was added. */
  private volatile String nextProtocol;
  /** Refused sockets writing their refusal (at most {@link #MAX_LINGERING_REFUSALS}). */
  private final Set<SelectableChannel> lingering = new HashSet<>();
  private final AtomicLong refusals = new AtomicLong();
  private final RateLimitedWarning warning = new RateLimitedWarning(LOG::warn, LOG::debug,
      RateLimitedWarning.DEFAULT_INTERVAL);

  /** @param refusal written to a refused client before the close; null to close without a word */
  public ConnectionGate(String name, int maxConnections, int maxPerIp, byte[] refusal) {
    super("limits");
    this.name = name;
    this.counts = new ConnectionCounts(maxConnections, maxPerIp);
    this.refusal = refusal == null ? null : refusal.clone();
  }

  /** Listens to {@code connector}'s accepts and, with a refusal text, becomes its first factory. */
  public void install(ServerConnector connector) {
    connector.addBean(this);
    if (refusal != null) {
      nextProtocol = connector.getDefaultProtocol();
      connector.addFirstConnectionFactory(this);
    }
  }

  /** Connections refused since start. */
  public long refusals() {
    return refusals.get();
  }

  @Override
  public void onAccepting(SelectableChannel channel) {
    InetAddress ip = ConnectionCounts.clientAddress(channel);
    String over = counts.admit(channel, ip);
    if (over == null) {
      return;
    }
    boolean close;
    synchronized (this) {
      close = refusal == null || lingering.size() >= MAX_LINGERING_REFUSALS;
      if (!close) {
        lingering.add(channel);
      }
    }
    refusals.incrementAndGet();
    warning.warn(name + ": refused a connection from " + (ip == null ? "an unknown address" : ip.getHostAddress())
        + ": " + over);
    if (close) {
      IO.close(channel);
    }
  }

  @Override
  public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
    forget(channel);
  }

  @Override
  public void onClosed(SelectableChannel channel) {
    forget(channel);
  }

  private void forget(SelectableChannel channel) {
    if (!counts.release(channel)) {
      synchronized (this) {
        lingering.remove(channel);
      }
    }
  }

  private synchronized boolean refused(Object channel) {
    return lingering.contains(channel);
  }

  @Override
  public Connection newConnection(Connector connector, EndPoint endPoint) {
    if (refused(endPoint.getTransport())) {
      return configure(new RefusingConnection(endPoint, connector.getExecutor(), refusal), connector, endPoint);
    }
    ConnectionFactory next = connector.getConnectionFactory(nextProtocol);
    return next.newConnection(connector, endPoint);
  }
}
